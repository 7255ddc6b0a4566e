package teach

import (
	"math"
	"math/rand/v2"
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// variances returns the (population) variances of the two columns of proj and
// their covariance, by plain loops.
func variances(proj [][2]float32) (v0, v1, cov01 float64) {
	var m0, m1 float64
	for _, p := range proj {
		m0 += float64(p[0])
		m1 += float64(p[1])
	}
	n := float64(len(proj))
	m0, m1 = m0/n, m1/n
	for _, p := range proj {
		a, b := float64(p[0])-m0, float64(p[1])-m1
		v0 += a * a
		v1 += b * b
		cov01 += a * b
	}
	return v0 / n, v1 / n, cov01 / n
}

// TestKnownAxes: the eight points m ± 3·u1 ± 1·u2 ± 0.01·e3 with
// u1 = (1, 1, 0)/√2 and u2 = (1, −1, 0)/√2, a full factorial design, so their
// covariance is exactly 9·u1u1ᵀ + 1·u2u2ᵀ + 1e-4·e3e3ᵀ: the components are u1
// and u2 (with the sign convention: u1 as is, u2 with its first coefficient
// positive on the |1/√2| tie), and point i projects to (±3, ±1).
func TestKnownAxes(t *testing.T) {
	s := 1 / math.Sqrt2
	u1, u2, e3 := [3]float64{s, s, 0}, [3]float64{s, -s, 0}, [3]float64{0, 0, 1}
	mean := [3]float64{5, -2, 7}
	var x []float32
	var want [][2]float64
	for _, a := range []float64{3, -3} {
		for _, b := range []float64{1, -1} {
			for _, c := range []float64{0.01, -0.01} {
				for j := range 3 {
					x = append(x, float32(mean[j]+a*u1[j]+b*u2[j]+c*e3[j]))
				}
				want = append(want, [2]float64{a, b})
			}
		}
	}
	proj, comps, err := PCA2(x, 8, 3)
	require.NoError(t, err)
	for j := range 3 {
		assert.InDelta(t, u1[j], comps[0][j], 1e-6, "component 1 coefficient %d: %v", j, comps[0])
		assert.InDelta(t, u2[j], comps[1][j], 1e-6, "component 2 coefficient %d: %v", j, comps[1])
	}
	require.Len(t, proj, 8)
	for i, w := range want {
		assert.InDelta(t, w[0], proj[i][0], 1e-5, "point %d", i)
		assert.InDelta(t, w[1], proj[i][1], 1e-5, "point %d", i)
	}
	v0, v1, c01 := variances(proj)
	assert.InDelta(t, 9, v0, 1e-5)
	assert.InDelta(t, 1, v1, 1e-5)
	assert.InDelta(t, 0, c01, 1e-6)
}

// TestTwoDimensionalIsARotation: in 2-D, points on the x axis (variance 2) and
// the y axis (variance 1/2) are already in principal axes.
func TestTwoDimensionalIsARotation(t *testing.T) {
	x := []float32{2, 0, -2, 0, 0, 1, 0, -1}
	proj, comps, err := PCA2(x, 4, 2)
	require.NoError(t, err)
	assert.InDeltaSlice(t, []float64{1, 0}, comps[0], 1e-9)
	assert.InDeltaSlice(t, []float64{0, 1}, comps[1], 1e-9)
	for i, want := range [][2]float32{{2, 0}, {-2, 0}, {0, 1}, {0, -1}} {
		assert.InDelta(t, want[0], proj[i][0], 1e-6, "point %d", i)
		assert.InDelta(t, want[1], proj[i][1], 1e-6, "point %d", i)
	}
}

// jacobiEigen is an independent reference: all eigenvalues and eigenvectors
// (columns of vecs) of the symmetric a [d, d] by cyclic Jacobi rotations,
// sorted by decreasing eigenvalue.
func jacobiEigen(a [][]float64) (vals []float64, vecs [][]float64) {
	d := len(a)
	m := make([][]float64, d)
	v := make([][]float64, d)
	for i := range d {
		m[i] = append([]float64(nil), a[i]...)
		v[i] = make([]float64, d)
		v[i][i] = 1
	}
	for range 100 {
		off := 0.0
		for p := range d {
			for q := p + 1; q < d; q++ {
				off += m[p][q] * m[p][q]
			}
		}
		if off < 1e-30 {
			break
		}
		for p := range d {
			for q := p + 1; q < d; q++ {
				if m[p][q] == 0 {
					continue
				}
				theta := 0.5 * math.Atan2(2*m[p][q], m[q][q]-m[p][p])
				c, s := math.Cos(theta), math.Sin(theta)
				for k := range d { // m ← m·J
					mkp, mkq := m[k][p], m[k][q]
					m[k][p], m[k][q] = c*mkp-s*mkq, s*mkp+c*mkq
				}
				for k := range d { // m ← Jᵀ·m
					mpk, mqk := m[p][k], m[q][k]
					m[p][k], m[q][k] = c*mpk-s*mqk, s*mpk+c*mqk
				}
				for k := range d {
					vkp, vkq := v[k][p], v[k][q]
					v[k][p], v[k][q] = c*vkp-s*vkq, s*vkp+c*vkq
				}
			}
		}
	}
	order := make([]int, d)
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(i, j int) bool { return m[order[i]][order[i]] > m[order[j]][order[j]] })
	for _, k := range order {
		vals = append(vals, m[k][k])
		col := make([]float64, d)
		for i := range d {
			col[i] = v[i][k]
		}
		vecs = append(vecs, col)
	}
	return vals, vecs
}

// TestAgainstJacobi compares with an independent eigendecomposition of the
// covariance computed by plain loops, on correlated random data in 6-D, and
// checks the projection by plain loops too.
func TestAgainstJacobi(t *testing.T) {
	const n, d = 400, 6
	rng := rand.New(rand.NewPCG(11, 12))
	mix := make([][]float64, d) // x = mix·z + offset, z ~ N(0, diag(scales²))
	for i := range mix {
		mix[i] = make([]float64, d)
		for j := range mix[i] {
			mix[i][j] = rng.NormFloat64()
		}
	}
	scales := []float64{5, 3, 1, 0.5, 0.2, 0.1}
	x := make([]float32, n*d)
	for p := range n {
		z := make([]float64, d)
		for j := range z {
			z[j] = scales[j] * rng.NormFloat64()
		}
		for i := range d {
			s := 10.0 * float64(i) // offset
			for j := range d {
				s += mix[i][j] * z[j]
			}
			x[p*d+i] = float32(s)
		}
	}
	proj, comps, err := PCA2(x, n, d)
	require.NoError(t, err)

	// The covariance by plain loops, from the float32 data.
	mean := make([]float64, d)
	for p := range n {
		for i := range d {
			mean[i] += float64(x[p*d+i]) / n
		}
	}
	cov := make([][]float64, d)
	for i := range d {
		cov[i] = make([]float64, d)
		for j := range d {
			for p := range n {
				cov[i][j] += (float64(x[p*d+i]) - mean[i]) * (float64(x[p*d+j]) - mean[j]) / n
			}
		}
	}
	vals, vecs := jacobiEigen(cov)
	require.Greater(t, vals[0]-vals[1], 0.01*vals[0], "test data need separated eigenvalues")
	require.Greater(t, vals[1]-vals[2], 0.01*vals[0], "test data need separated eigenvalues")
	for k := range 2 {
		ref := vecs[k]
		if dot(ref, comps[k]) < 0 {
			for i := range ref {
				ref[i] = -ref[i]
			}
		}
		assert.InDeltaSlice(t, ref, comps[k], 1e-6, "component %d", k)
		assert.InDelta(t, 1, dot(comps[k], comps[k]), 1e-9, "component %d unit length", k)
	}
	assert.InDelta(t, 0, dot(comps[0], comps[1]), 1e-9, "orthogonal")

	for p := range n {
		for k := range 2 {
			var s float64
			for i := range d {
				s += (float64(x[p*d+i]) - mean[i]) * comps[k][i]
			}
			assert.InDelta(t, s, float64(proj[p][k]), 1e-3*math.Sqrt(vals[0]), "point %d, component %d", p, k)
		}
	}
	v0, v1, c01 := variances(proj)
	assert.InDelta(t, vals[0], v0, 1e-4*vals[0])
	assert.InDelta(t, vals[1], v1, 1e-4*vals[0])
	assert.Greater(t, v0, v1)
	assert.InDelta(t, 0, c01, 1e-4*vals[0])
}

// TestNearlyEqualVariances: with the top two variances 1% apart power
// iteration is slow, the Rayleigh–Ritz step still orders them.
func TestNearlyEqualVariances(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	const n, d = 2000, 4
	x := make([]float32, 0, n*d)
	for range n {
		x = append(x, float32(3.03*rng.NormFloat64()), float32(3*rng.NormFloat64()), float32(0.1*rng.NormFloat64()), float32(0.1*rng.NormFloat64()))
	}
	proj, comps, err := PCA2(x, n, d)
	require.NoError(t, err)
	v0, v1, c01 := variances(proj)
	assert.GreaterOrEqual(t, v0, v1)
	assert.InDelta(t, 0, c01, 1e-3*v0)
	// Both components lie in the plane of the first two axes.
	for k := range 2 {
		assert.InDelta(t, 1, comps[k][0]*comps[k][0]+comps[k][1]*comps[k][1], 1e-3, "component %d: %v", k, comps[k])
	}
}

func TestSignConvention(t *testing.T) {
	v := []float64{0.1, -0.9, 0.3}
	fixSign(v)
	assert.Equal(t, []float64{-0.1, 0.9, -0.3}, v)
	v = []float64{-0.5, 0.5, -0.5, 0.5} // a tie: the first decides
	fixSign(v)
	assert.Equal(t, []float64{0.5, -0.5, 0.5, -0.5}, v)

	// Negating the data negates nothing in the result's components.
	x := []float32{1, 2, 3, -1, 0, 2, 4, 1, 0, 2, 2, 2, -3, 1, 5}
	neg := make([]float32, len(x))
	for i, v := range x {
		neg[i] = -v
	}
	_, c1, err := PCA2(x, 5, 3)
	require.NoError(t, err)
	_, c2, err := PCA2(neg, 5, 3)
	require.NoError(t, err)
	assert.InDeltaSlice(t, c1[0], c2[0], 1e-9)
	assert.InDeltaSlice(t, c1[1], c2[1], 1e-9)
}

func TestDegenerateData(t *testing.T) {
	// All points equal: no variance at all; the components are e1, e2.
	proj, comps, err := PCA2([]float32{1, 2, 3, 1, 2, 3}, 2, 3)
	require.NoError(t, err)
	assert.Equal(t, []float64{1, 0, 0}, comps[0])
	assert.Equal(t, []float64{0, 1, 0}, comps[1])
	assert.Equal(t, [][2]float32{{0, 0}, {0, 0}}, proj)

	// Points on the line along (0, 3, 4)/5: the first component is that
	// direction, the second a basis vector orthogonal to it, e1.
	var x []float32
	for _, s := range []float32{-2, -1, 0, 1, 2} {
		x = append(x, 7, 3*s, 4*s)
	}
	proj, comps, err = PCA2(x, 5, 3)
	require.NoError(t, err)
	assert.InDeltaSlice(t, []float64{0, 0.6, 0.8}, comps[0], 1e-9)
	assert.InDeltaSlice(t, []float64{1, 0, 0}, comps[1], 1e-9)
	for i, s := range []float32{-2, -1, 0, 1, 2} {
		assert.InDelta(t, 5*s, proj[i][0], 1e-5)
		assert.InDelta(t, 0, proj[i][1], 1e-5)
	}

	// A single point.
	proj, _, err = PCA2([]float32{4, 5}, 1, 2)
	require.NoError(t, err)
	assert.Equal(t, [][2]float32{{0, 0}}, proj)
}

func TestInvalidInput(t *testing.T) {
	for _, tc := range []struct {
		x    []float32
		n, d int
		want string
	}{
		{[]float32{1, 2, 3}, 3, 1, "dimension d >= 2"},
		{nil, 0, 2, "n >= 1"},
		{[]float32{1, 2, 3}, 2, 2, "got 3 values for n=2 points of dimension d=2"},
		{[]float32{1, 2, 3, float32(math.NaN())}, 2, 2, "coordinate 1 of point 1 is not finite"},
		{[]float32{float32(math.Inf(-1)), 2, 3, 4}, 2, 2, "coordinate 0 of point 0 is not finite"},
	} {
		_, _, err := PCA2(tc.x, tc.n, tc.d)
		require.Error(t, err, tc.want)
		assert.Contains(t, err.Error(), tc.want)
		assert.Regexp(t, `^teach: `, err.Error())
	}
}
