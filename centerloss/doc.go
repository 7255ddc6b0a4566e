// Package centerloss trains the LeNet++ network of Wen et al., "A Discriminative Feature Learning Approach for
// Deep Face Recognition" (ECCV 2016), with softmax loss plus center loss, on GoMLX and XLA.
package centerloss

import (
	_ "github.com/gomlx/gomlx/backends/xla"
	_ "github.com/gomlx/gomlx/pkg/ml/context/checkpoints"
	_ "github.com/gomlx/gomlx/pkg/ml/datasets"
	_ "github.com/gomlx/gomlx/pkg/ml/layers"
	_ "github.com/gomlx/gomlx/pkg/ml/train"
	_ "github.com/gomlx/gomlx/ui/commandline"
	_ "github.com/stretchr/testify/require"
	_ "gonum.org/v1/plot"
	_ "gonum.org/v1/plot/plotter"
	_ "gonum.org/v1/plot/vg/draw"
)
