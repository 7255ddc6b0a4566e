package notebook

import (
	"fmt"
	"runtime"

	"github.com/centerloss/centerloss/centerloss/lab/bench"
	"github.com/centerloss/centerloss/centerloss/language"
)

// ScalingOptions are what TimeEq4AsClassesGrow measures.
type ScalingOptions struct {
	Classes []int // the numbers of classes K
	Dim     int   // the feature dimension d: 2 in these lessons, 512 in face recognition
	Batch   int   // features per batch
	Reps    int   // timed calls of each form per K, side by side
}

// TimeEq4AsClassesGrow times L_C with Eq. 4 the one-hot way (a [batch, K] matrix, O(batch·K·d)) against the
// gather and scatter of centerloss.UpdateCenters (O(batch·d + batch²)) for each K, in lockstep, with the scaling
// command's code (bench.MeasureScaling), and prints a table of the medians and their paired ratio.
func TimeEq4AsClassesGrow(o ScalingOptions) error {
	backend, err := sharedBackend()
	if err != nil {
		return err
	}
	cfg := bench.DefaultScalingConfig()
	cfg.Classes, cfg.Dim, cfg.Batch, cfg.Reps, cfg.Warmup = o.Classes, o.Dim, o.Batch, o.Reps, 1
	fmt.Println(language.Sayf("L_C and Eq. 4 on a batch of %d features of dimension %d, median of %d calls side by side (%s):",
		o.Batch, o.Dim, o.Reps, backend.Name()))
	fmt.Printf("%9s %10s %12s %18s %10s\n", "K", language.Say("centers"), language.Say("one-hot ms"),
		language.Say("gather/scatter ms"), language.Say("ratio"))
	var rows []bench.ScalingRow
	for _, K := range o.Classes {
		r, err := bench.MeasureScaling(backend, cfg, K)
		if err != nil {
			return fmt.Errorf("K = %d: %w", K, err)
		}
		fmt.Printf("%9d %10s %12.2f %18.2f %9.1f×\n", K, mebibytes(r.CentersMiB),
			bench.Median(r.Old), bench.Median(r.New), bench.PairedRatio(r.Old, r.New))
		rows = append(rows, r)
		runtime.GC()
	}
	if len(rows) >= 2 {
		first, last := rows[0], rows[len(rows)-1]
		fmt.Println(language.Sayf("From K = %d to K = %d the one-hot form's time grew %.0f×, the gather/scatter form's %.1f×.",
			first.K, last.K, bench.Median(last.Old)/bench.Median(first.Old), bench.Median(last.New)/bench.Median(first.New)))
	}
	return nil
}

// mebibytes writes a size with two significant figures, or none after the point from 10 MiB: "0.02 MiB", "195 MiB".
func mebibytes(mib float64) string {
	if mib >= 10 {
		return fmt.Sprintf("%.0f MiB", mib)
	}
	return fmt.Sprintf("%.2g MiB", mib)
}
