package notebook

import (
	"encoding/json"
	"fmt"
	"time"
)

// ReferenceSteps is how many training steps the reference times, the first (compiling) one included.
const ReferenceSteps = 30

// ReferencePrefix starts the line of JSON that ShowReference prints, for the notebook test and `make reference`.
const ReferencePrefix = "centerloss reference: "

// Reference is how long this machine takes for a fixed piece of the lessons' own work, done as a lesson's training
// cell does it, in a fresh cell program: read MNIST and build LeNet++'s training session (default settings, batch
// 128), run ReferenceSteps training steps (the first compiles the step), then one pass over the 10,000 test images
// (compiled first). The lessons' promises are minutes on the machine whose Reference is recorded beside them; on
// another machine they scale by its Reference over that one.
type Reference struct {
	Session   float64 `json:"session_s"`    // MNIST read and the session built
	FirstStep float64 `json:"first_step_s"` // the first training step, its compilation included
	Steps     float64 `json:"steps_s"`      // the other ReferenceSteps-1 steps
	TestPass  float64 `json:"test_pass_s"`  // the pass over the test images, its compilation included
	Total     float64 `json:"reference_s"`  // all of the above: the figure that promises scale by
}

// TimeReference times the reference on this machine's backend ($GOMLX_BACKEND, as the lessons).
func TimeReference() (Reference, error) {
	var r Reference
	lap := lapTimer()
	s, err := NewSession(nil, "")
	if err != nil {
		return r, err
	}
	r.Session = lap()
	if err := s.TrainSteps(1); err != nil {
		return r, err
	}
	r.FirstStep = lap()
	if err := s.TrainSteps(ReferenceSteps - 1); err != nil {
		return r, err
	}
	r.Steps = lap()
	if _, err := s.Evaluate(); err != nil {
		return r, err
	}
	r.TestPass = lap()
	r.Total = r.Session + r.FirstStep + r.Steps + r.TestPass
	return r, nil
}

// lapTimer returns a function that gives the seconds since it was last called (or since lapTimer).
func lapTimer() func() float64 {
	last := time.Now()
	return func() float64 {
		now := time.Now()
		seconds := now.Sub(last).Seconds()
		last = now
		return seconds
	}
}

// ShowReference times the reference and prints it: one line for people, one line of JSON after ReferencePrefix.
func ShowReference() error {
	r, err := TimeReference()
	if err != nil {
		return err
	}
	fmt.Printf("reference %.1f s: MNIST and the session %.1f s, first step %.1f s, %d more steps %.1f s (%.0f ms "+
		"each), test pass %.1f s\n", r.Total, r.Session, r.FirstStep, ReferenceSteps-1, r.Steps,
		1000*r.Steps/float64(ReferenceSteps-1), r.TestPass)
	line, err := json.Marshal(r)
	if err != nil {
		return err
	}
	fmt.Println(ReferencePrefix + string(line))
	return nil
}
