// Package exercise checks the notebook's exercises: the learner writes the center loss and the paper's center
// update (Eq. 4) as GoMLX graph functions, and a cell calls
//
//	exercise.CheckCenterLoss(myCenterLoss)
//	exercise.CheckUpdateCenters(myUpdateCenters)
//
// which run the learner's function and the library's (centerloss.CenterLoss, centerloss.UpdateCenters) on the same
// named random batches, print one line, ✓ or the first thing that differs with a hint, and return it as a Report.
// Nothing panics for a wrong answer, not even for a panic in the learner's code: the notebook runs through with the
// exercise cells left as they are. Solution and ShowSolution give the reference answers.
package exercise

import (
	"reflect"
	"regexp"
	"runtime"
	"strings"
	"sync"

	"github.com/centerloss/centerloss/centerloss/xlabackend"
	"github.com/gomlx/compute"
)

// defaultBackend opens XLA once for all the checks of a notebook: each check then only compiles its small graphs.
var defaultBackend = sync.OnceValues(func() (compute.Backend, error) {
	return xlabackend.NewBackend("")
})

// anonymous matches the parts of a function literal's runtime name: "main.main.func1", "pkg.TestX.func1.2".
var anonymous = regexp.MustCompile(`^(func)?[0-9]+$`)

// functionName is the name the learner gave fn ("myCenterLoss" for main.myCenterLoss), so that the report speaks
// of their code; a function literal has none worth showing, and gets fallback, the exercise's name.
func functionName(fn any, fallback string) string {
	f := runtime.FuncForPC(reflect.ValueOf(fn).Pointer())
	if f == nil {
		return fallback
	}
	full := f.Name()
	full = full[strings.LastIndex(full, "/")+1:]
	parts := strings.Split(strings.TrimSuffix(full, "-fm"), ".")
	for _, part := range parts[1:] {
		if anonymous.MatchString(part) {
			return fallback
		}
	}
	return parts[len(parts)-1]
}
