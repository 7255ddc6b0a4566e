// Package teach holds the small computations of the teaching notebooks that are not part of training: PCA, to look
// at raw pixels and at embeddings of more than two dimensions (the -embedding-dim flag) on a 2-D plot, and Eq. 4
// worked by hand for one class.
package teach

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
)

// PCA2 projects n points of dimension d onto their first two principal components, by gonum's stat.PC (the SVD
// of the centered points).
//
//   - x: [n, d] row-major, point i is x[i*d : (i+1)*d] (a GoMLX tensor of shape [n, d] flattened, e.g. the
//     embeddings of a test set).
//   - proj: [n][2], the coordinates of the centered points along the two components. Their variances come out in
//     decreasing order and the two columns are uncorrelated.
//   - components: [2][d], orthonormal: the direction of largest variance, then the largest orthogonal to it.
//
// What a picture needs beyond stat.PC: the same data always give the same picture. A component's sign is
// arbitrary, so each is flipped to make its largest-magnitude coefficient positive (the first one on a near tie);
// and where no variance is left for a component (all points equal, or on a line for the second; below 1e-12 of the
// total) any orthogonal direction is as good, so it is a standard basis vector instead of rounding noise.
func PCA2(x []float32, n, d int) (proj [][2]float32, components [2][]float64, err error) {
	if err := validate(x, n, d); err != nil {
		return nil, components, err
	}
	data := mat.NewDense(n, d, nil)
	mean := make([]float64, d)
	for i := range n {
		for j := range d {
			v := float64(x[i*d+j])
			data.Set(i, j, v)
			mean[j] += v / float64(n)
		}
	}

	var vectors [][]float64 // the components stat.PC found, while their variance is not negligible
	if n >= 2 {
		var pc stat.PC
		if !pc.PrincipalComponents(data, nil) {
			return nil, components, fmt.Errorf("teach: PCA2: the SVD of %d points of dimension %d failed", n, d)
		}
		variances := pc.VarsTo(nil)
		var total float64
		for _, v := range variances {
			total += v
		}
		var vecs mat.Dense
		pc.VectorsTo(&vecs)
		for k := 0; k < 2 && k < len(variances); k++ {
			if total <= 0 || variances[k] <= 1e-12*total {
				break
			}
			vectors = append(vectors, mat.Col(nil, k, &vecs))
		}
	}
	for len(vectors) < 2 {
		vectors = append(vectors, basisVectorOrthogonalTo(vectors, d))
	}
	components[0], components[1] = vectors[0], vectors[1]
	for _, c := range components {
		fixSign(c)
	}

	proj = make([][2]float32, n)
	for i := range n {
		row := x[i*d : (i+1)*d]
		for k, c := range components {
			var s float64
			for j, v := range row {
				s += (float64(v) - mean[j]) * c[j]
			}
			proj[i][k] = float32(s)
		}
	}
	return proj, components, nil
}

func validate(x []float32, n, d int) error {
	if n < 1 || d < 2 {
		return fmt.Errorf("teach: PCA2 needs n >= 1 points of dimension d >= 2, got n=%d, d=%d", n, d)
	}
	if len(x) != n*d {
		return fmt.Errorf("teach: PCA2 got %d values for n=%d points of dimension d=%d (want n*d = %d)", len(x), n, d, n*d)
	}
	for i, v := range x {
		if f := float64(v); math.IsNaN(f) || math.IsInf(f, 0) {
			return fmt.Errorf("teach: PCA2: coordinate %d of point %d is not finite: %v", i%d, i/d, v)
		}
	}
	return nil
}

// fixSign flips v so that its largest-magnitude coefficient is positive; on a tie (within rounding, as for
// (1, −1)/√2) the first of the tied ones decides.
func fixSign(v []float64) {
	var largest float64
	for _, c := range v {
		largest = math.Max(largest, math.Abs(c))
	}
	for _, c := range v {
		if math.Abs(c) >= largest*(1-1e-9) {
			if c < 0 {
				for i := range v {
					v[i] = -v[i]
				}
			}
			return
		}
	}
}

// basisVectorOrthogonalTo returns the standard basis vector e_j least aligned with the unit vectors prev (the
// first such j), made orthogonal to them and of unit length.
func basisVectorOrthogonalTo(prev [][]float64, d int) []float64 {
	best, bestAlign := 0, math.Inf(1)
	for j := range d {
		var align float64
		for _, p := range prev {
			align += p[j] * p[j]
		}
		if align < bestAlign-1e-12 {
			best, bestAlign = j, align
		}
	}
	e := make([]float64, d)
	e[best] = 1
	for _, p := range prev {
		s := dot(e, p)
		for i := range e {
			e[i] -= s * p[i]
		}
	}
	norm := math.Sqrt(dot(e, e))
	for i := range e {
		e[i] /= norm
	}
	return e
}

func dot(a, b []float64) float64 {
	var s float64
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}
