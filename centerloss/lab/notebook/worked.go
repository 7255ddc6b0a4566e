package notebook

import (
	"github.com/centerloss/centerloss/centerloss"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
)

// WorkedStep is one center update computed by the library on small hand-made numbers, step by step, for the
// theory notebook: the same graph functions (CenterLoss, UpdateCenters) that run inside training.
//
// Two counts enter the step and must not be confused: L_C is ½·mean ‖x_i − c_{y_i}‖² over the whole batch, so its
// gradient is divided by the batch size m, while Eq. 4 divides by 1 + n, with n the features of the center's own
// class. WorkOneStep's features are all of one class, so here m = n; in training they differ.
type WorkedStep struct {
	Features   [][]float32 // [m][dim], the batch, all of class 0
	Center     []float32   // c before the update
	Alpha      float64
	BatchSize  int         // m: the rows of the batch, L_C's mean is over them
	ClassCount int         // n: the rows of class 0, Eq. 4's 1 + n is of them
	Loss       float32     // L_C = ½·mean over the batch ‖x_i − c‖² = ½·(1/m)·Σ ‖x_i − c‖²
	Gradients  [][]float32 // [m][dim] ∂L_C/∂x_i = (x_i − c)/m
	NewCenter  []float32   // c − α·Δc
	Difference [][]float32 // [m][dim] c − x_i, Eq. 4's terms, for the picture
}

// WorkOneStep runs CenterLoss, its gradient and UpdateCenters on the XLA backend for features of one class.
func WorkOneStep(features [][]float32, center []float32, alpha float64) (*WorkedStep, error) {
	backend, err := sharedBackend()
	if err != nil {
		return nil, err
	}
	labels := make([]int32, len(features))
	outputs := graph.MustExecOnceN(backend, func(x, y, c *graph.Node) []*graph.Node {
		loss := centerloss.CenterLoss(x, y, c)
		return []*graph.Node{loss, graph.Gradient(loss, x)[0], centerloss.UpdateCenters(x, y, c, alpha)}
	}, features, labels, [][]float32{center})
	w := &WorkedStep{Features: features, Center: center, Alpha: alpha, Loss: tensors.ToScalar[float32](outputs[0]),
		BatchSize: len(features), ClassCount: len(features)} // every label is 0: m = n
	dim := len(center)
	grads := tensors.MustCopyFlatData[float32](outputs[1])
	for i, x := range features {
		w.Gradients = append(w.Gradients, grads[i*dim:(i+1)*dim])
		diff := make([]float32, dim)
		for d := range diff {
			diff[d] = center[d] - x[d]
		}
		w.Difference = append(w.Difference, diff)
	}
	w.NewCenter = tensors.MustCopyFlatData[float32](outputs[2])
	return w, nil
}
