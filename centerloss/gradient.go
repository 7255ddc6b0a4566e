package centerloss

import (
	"github.com/gomlx/gomlx/core/graph"
)

// CenterGradient is the centers' own gradient of the batch-mean center loss L_C = ½ · (1/m) · Σ_i ‖x_i − c_{y_i}‖²
// (CenterLoss without its StopGradient on the centers):
//
//	∂L_C/∂c_j = −(1/m) · Σ_{i: y_i=j} (x_i − c_j) = (n_j · c_j − Σ_{i: y_i=j} x_i) / m
//
// with m the batch size and n_j the samples of class j in the batch; an absent class gets 0. It is the gradient of
// L_C, not of λ·L_C: KaiyangZhou's PyTorch CenterLoss multiplies the centers' gradient by 1/λ before their step for
// exactly this, so that λ does not shrink the center step. (His L_C has no ½, so his step is twice ours at the same
// rate: his lr_cent 0.5 is our center_lr 1.0.)
//
// features [batch, dim] (gradient stopped: the center step must not move the network), labels [batch] or
// [batch, 1], centers [numClasses, dim] → [numClasses, dim].
func CenterGradient(features, labels, centers *graph.Node) *graph.Node {
	differences, _ := sampleDifferences(features, labels, centers)
	m := float64(features.Shape().Dimensions[0])
	return scatterToCenters(graph.ZerosLike(centers), labels, graph.DivScalar(differences, m))
}

// GradientStepCenters is one step of plain SGD on the centers: c ← c − lr · ∂L_C/∂c (CenterGradient), computed,
// like UpdateCenters, on the batch's classes only. No momentum and no weight decay: those belong to the network's
// optimizer, and would pull the centers toward the origin.
func GradientStepCenters(features, labels, centers *graph.Node, lr float64) *graph.Node {
	differences, _ := sampleDifferences(features, labels, centers)
	m := float64(features.Shape().Dimensions[0])
	return scatterToCenters(centers, labels, graph.MulScalar(differences, -lr/m))
}
