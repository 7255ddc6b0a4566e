// Package teach holds the small computations of the teaching notebooks that
// are not part of training, in plain Go so that a reader can follow every
// step: here, PCA, to look at embeddings of more than two dimensions (the
// -embedding-dim flag) on a 2-D plot.
package teach

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Power iteration stops when one step moves the unit vector by less than
// powerTol, or after powerMaxIter steps. The Rayleigh–Ritz step at the end of
// PCA2 makes an unconverged pair of vectors still come out as the best two
// directions within the plane they span (this matters when the two top
// variances are nearly equal, where power iteration converges slowly).
const (
	powerTol     = 1e-10
	powerMaxIter = 2000
)

// PCA2 projects n points of dimension d onto their first two principal
// components.
//
//   - x: [n, d] row-major, point i is x[i*d : (i+1)*d] (a GoMLX tensor of
//     shape [n, d] flattened, e.g. the embeddings of a test set).
//   - proj: [n][2], the coordinates of the centered points along the two
//     components. Their variances come out in decreasing order and the two
//     columns are uncorrelated.
//   - components: [2][d], orthonormal: the direction of largest variance,
//     then the largest orthogonal to it (the top two eigenvectors of the
//     covariance matrix).
//
// Sign convention: an eigenvector's sign is arbitrary, so each component is
// flipped to make its largest-magnitude coefficient positive (the first one on
// a near tie); the same data then always give the same picture.
//
// Cost: O(n·d²) for the covariance matrix (10,000 points of d = 784 pixels
// take seconds), then O(d²) per power-iteration step, at most 2·powerMaxIter
// steps (reached only when neighbouring variances are within a fraction of a
// percent of each other: 3 s for d = 784 on one core). The variances behind the
// eigenvectors are the population ones (divided by n); the directions do not
// depend on that choice.
func PCA2(x []float32, n, d int) (proj [][2]float32, components [2][]float64, err error) {
	if err := validate(x, n, d); err != nil {
		return nil, components, err
	}
	mean, cov := covariance(x, n, d)

	// First component: power iteration on the covariance matrix. Second: the
	// same on the covariance less the first component's share ("deflation"),
	// whose top eigenvector is the covariance's second one.
	rng := rand.New(rand.NewPCG(0x9ca, 2)) // fixed: same data, same result
	total := traceOf(cov, d)               // the total variance
	v1 := topEigenvector(cov, d, randomUnit(rng, d), nil, total)
	lambda1 := rayleigh(cov, d, v1)
	deflated := make([]float64, len(cov))
	for i := range d {
		for j := range d {
			deflated[i*d+j] = cov[i*d+j] - lambda1*v1[i]*v1[j]
		}
	}
	v2 := topEigenvector(deflated, d, randomUnit(rng, d), [][]float64{v1}, total)

	components[0], components[1] = rayleighRitz(cov, d, v1, v2)
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

// covariance returns the mean [d] and the covariance matrix [d, d]
// (row-major, divided by n) of the points x [n, d], in float64.
func covariance(x []float32, n, d int) (mean, cov []float64) {
	mean = make([]float64, d)
	for i := range n {
		for j := range d {
			mean[j] += float64(x[i*d+j])
		}
	}
	for j := range mean {
		mean[j] /= float64(n)
	}
	cov = make([]float64, d*d)
	centered := make([]float64, d)
	for i := range n {
		for j := range d {
			centered[j] = float64(x[i*d+j]) - mean[j]
		}
		for a := range d { // upper triangle only; mirrored below
			ca := centered[a]
			row := cov[a*d : (a+1)*d]
			for b := a; b < d; b++ {
				row[b] += ca * centered[b]
			}
		}
	}
	for a := range d {
		for b := a; b < d; b++ {
			cov[a*d+b] /= float64(n)
			cov[b*d+a] = cov[a*d+b]
		}
	}
	return mean, cov
}

// topEigenvector returns the unit eigenvector of the largest eigenvalue of the
// symmetric positive semi-definite m [d, d], by power iteration from start,
// kept orthogonal to the unit vectors in prev. When m has no variance left
// (below 1e-12 of total, the data's total variance: all points equal, or on a
// line for the second component) any orthogonal direction is as good: it
// returns a standard basis vector instead of rounding noise, so the result
// stays deterministic and readable.
func topEigenvector(m []float64, d int, start []float64, prev [][]float64, total float64) []float64 {
	v := orthonormalize(start, prev)
	if v == nil {
		return basisVectorOrthogonalTo(prev, d)
	}
	w := make([]float64, d)
	for range powerMaxIter {
		matVec(m, d, v, w)
		w = orthonormalize(w, prev) // against the drift of rounding errors
		if w == nil {
			break // m·v = 0
		}
		// Eigenvalues are ≥ 0, but a deflated matrix can have tiny negative
		// ones from rounding: compare up to sign.
		s := math.Copysign(1, dot(w, v))
		var diff float64
		for i := range w {
			diff += (w[i] - s*v[i]) * (w[i] - s*v[i])
		}
		v, w = w, v
		if math.Sqrt(diff) < powerTol {
			break
		}
	}
	if rayleigh(m, d, v) <= 1e-12*total {
		return basisVectorOrthogonalTo(prev, d)
	}
	return v
}

// rayleighRitz rotates the orthonormal pair v1, v2 within their plane onto
// the eigenvectors of the covariance restricted to that plane, the larger
// first. B = [v1 v2]ᵀ·cov·[v1 v2] is 2×2 symmetric [[a, b], [b, e]]; its
// top eigenvector is at angle θ = ½·atan2(2b, a−e) from v1.
func rayleighRitz(cov []float64, d int, v1, v2 []float64) (u1, u2 []float64) {
	cv1, cv2 := make([]float64, d), make([]float64, d)
	matVec(cov, d, v1, cv1)
	matVec(cov, d, v2, cv2)
	a, b, e := dot(v1, cv1), dot(v1, cv2), dot(v2, cv2)
	theta := 0.5 * math.Atan2(2*b, a-e)
	cos, sin := math.Cos(theta), math.Sin(theta)
	u1, u2 = make([]float64, d), make([]float64, d)
	for i := range d {
		u1[i] = cos*v1[i] + sin*v2[i]
		u2[i] = -sin*v1[i] + cos*v2[i]
	}
	return u1, u2
}

// fixSign flips v so that its largest-magnitude coefficient is positive; on a
// tie (within rounding, as for (1, −1)/√2) the first of the tied ones decides.
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

// orthonormalize returns v less its components along the unit vectors prev,
// scaled to unit length (a new slice), or nil when nothing is left.
func orthonormalize(v []float64, prev [][]float64) []float64 {
	out := append([]float64(nil), v...)
	for _, p := range prev {
		s := dot(out, p)
		for i := range out {
			out[i] -= s * p[i]
		}
	}
	norm := math.Sqrt(dot(out, out))
	if norm == 0 || math.IsNaN(norm) {
		return nil
	}
	for i := range out {
		out[i] /= norm
	}
	return out
}

// basisVectorOrthogonalTo returns the standard basis vector e_j least aligned
// with the unit vectors prev (the first such j), made orthogonal to them.
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
	return orthonormalize(e, prev)
}

func randomUnit(rng *rand.Rand, d int) []float64 {
	v := make([]float64, d)
	for i := range v {
		v[i] = rng.NormFloat64()
	}
	return orthonormalize(v, nil)
}

// matVec sets out = m·v for m [d, d] row-major.
func matVec(m []float64, d int, v, out []float64) {
	for i := range d {
		out[i] = dot(m[i*d:(i+1)*d], v)
	}
}

func rayleigh(m []float64, d int, v []float64) float64 {
	mv := make([]float64, d)
	matVec(m, d, v, mv)
	return dot(v, mv)
}

func traceOf(m []float64, d int) float64 {
	var t float64
	for i := range d {
		t += m[i*d+i]
	}
	return t
}

func dot(a, b []float64) float64 {
	var s float64
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}
