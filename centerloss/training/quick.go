package training

import (
	"os"
	"strconv"
)

// QuickEnvVar names the environment variable that, set to a number of steps, caps every training run that asks
// through TrainingSteps: the notebook tests set it so that each notebook runs in a few minutes on CPU without any
// cell being changed. Set to "1" (or any value that is not a positive number) it means QuickSteps.
const QuickEnvVar = "CENTERLOSS_QUICK"

// QuickSteps is the cap when $CENTERLOSS_QUICK is set but does not give a number of steps.
const QuickSteps = 60

// TrainingSteps returns steps, or the cap that $CENTERLOSS_QUICK asks for when it is set and smaller.
func TrainingSteps(steps int) int {
	value, set := os.LookupEnv(QuickEnvVar)
	if !set || value == "" || value == "0" {
		return steps
	}
	limit, err := strconv.Atoi(value)
	if err != nil || limit <= 1 {
		limit = QuickSteps
	}
	return min(steps, limit)
}
