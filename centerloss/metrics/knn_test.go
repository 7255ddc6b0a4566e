package metrics

import (
	"math/rand/v2"
	"sort"
	"testing"
)

// A gallery on the x axis: class 0 at 0, 1, 2 and class 1 at 10, 11, 12.
var (
	lineGallery = pts(0, 0, 1, 0, 2, 0, 10, 0, 11, 0, 12, 0)
	lineLabels  = []int{0, 0, 0, 1, 1, 1}
)

func TestKNNAccuracyByHand(t *testing.T) {
	// 1.2 → nearest 1 (class 0), right; 6.5 labelled 0 → nearest 10 (3.5 away, vs 4.5 to 2), wrong; 11 → right.
	queries, labels := pts(1.2, 0, 6.5, 0, 11, 0), []int{0, 0, 1}
	if got, err := KNNAccuracy(lineGallery, lineLabels, queries, labels, 1); err != nil || !near(got, 2.0/3) {
		t.Errorf("k=1: got %v, %v; want 2/3", got, err)
	}
	// k=3 for 6.5: 10 (3.5), then 2 and 11 both at 4.5, both kept: two votes for class 1, still wrong.
	if got, err := KNNAccuracy(lineGallery, lineLabels, queries, labels, 3); err != nil || !near(got, 2.0/3) {
		t.Errorf("k=3: got %v, %v; want 2/3", got, err)
	}
	// k = the whole gallery: 3 votes each, every query a tie, won by its nearest neighbour's class.
	if got, err := KNNAccuracy(lineGallery, lineLabels, queries, labels, 6); err != nil || !near(got, 2.0/3) {
		t.Errorf("k=6: got %v, %v; want 2/3", got, err)
	}
	// One class in the gallery: every query is called class 0.
	if got, err := KNNAccuracy(pts(0, 0, 5, 5), []int{0, 0}, queries, labels, 1); err != nil || !near(got, 2.0/3) {
		t.Errorf("one class: got %v, %v; want 2/3", got, err)
	}
}

func TestKNNTieGoesToTheNearestNeighboursClass(t *testing.T) {
	// k=2 at 6.5: 10 (class 1, 3.5 away) and 2 (class 0, 4.5 away), one vote each. The nearest wins, class 1,
	// not the lower class number.
	if got, _ := KNNAccuracy(lineGallery, lineLabels, pts(6.5, 0), []int{1}, 2); got != 1 {
		t.Errorf("tie: accuracy %v, want 1 (class 1)", got)
	}
	// k=5 at 3: 2 (0, 1 away), 1 (0, 2), 0 (0, 3), 10 (1, 7), 11 (1, 8): 3 against 2, class 0.
	if got, _ := KNNAccuracy(lineGallery, lineLabels, pts(3, 0), []int{0}, 5); got != 1 {
		t.Errorf("majority: accuracy %v, want 1 (class 0)", got)
	}
	// Gallery features at exactly equal distances: the earlier one in the gallery is the nearer.
	for _, order := range []struct{ labels, want []int }{{[]int{0, 1}, []int{0}}, {[]int{1, 0}, []int{1}}} {
		got, _ := KNNAccuracy(pts(1, 0, -1, 0), order.labels, pts(0, 0), order.want, 1)
		if got != 1 {
			t.Errorf("gallery labels %v: the first should win", order.labels)
		}
	}
}

// TestKNNAccuracyMatchesSorting checks the goroutines and the running top-k against sorting every distance, on
// enough queries (several chunks) of overlapping random clusters that many votes are close, in 2-D (the unrolled
// path) and 3-D.
func TestKNNAccuracyMatchesSorting(t *testing.T) {
	for _, dim := range []int{2, 3} {
		testKNNAgainstSorting(t, dim)
	}
}

func testKNNAgainstSorting(t *testing.T, dim int) {
	rng := rand.New(rand.NewPCG(3, uint64(dim)))
	cloud := func(n int) ([][]float32, []int) {
		f, l := make([][]float32, n), make([]int, n)
		for i := range f {
			l[i] = rng.IntN(4)
			// Coordinates on a coarse grid, so that equal distances happen.
			f[i] = make([]float32, dim)
			for j := range f[i] {
				f[i][j] = float32(rng.IntN(8)) / 2
			}
			f[i][0] += float32(l[i])
		}
		return f, l
	}
	gallery, gLabels := cloud(300)
	queries, qLabels := cloud(500)
	for _, k := range []int{1, 2, 4, 7} {
		correct := 0
		for q := range queries {
			order := make([]int, len(gallery))
			for i := range order {
				order[i] = i
			}
			sort.SliceStable(order, func(a, b int) bool {
				return SquaredDistance(queries[q], gallery[order[a]]) < SquaredDistance(queries[q], gallery[order[b]])
			})
			votes := map[int]int{}
			for _, g := range order[:k] {
				votes[gLabels[g]]++
			}
			best := gLabels[order[0]]
			for _, g := range order[:k] { // in distance order: a tie keeps the nearer class
				if votes[gLabels[g]] > votes[best] {
					best = gLabels[g]
				}
			}
			if best == qLabels[q] {
				correct++
			}
		}
		want := float64(correct) / float64(len(queries))
		if got, err := KNNAccuracy(gallery, gLabels, queries, qLabels, k); err != nil || !near(got, want) {
			t.Errorf("dim %d, k=%d: got %v, %v; want %v", dim, k, got, err, want)
		}
	}
}

func TestKNNAccuracyErrors(t *testing.T) {
	q, ql := pts(0, 0), []int{0}
	for _, c := range []struct {
		name    string
		gallery [][]float32
		gLabels []int
		queries [][]float32
		qLabels []int
		k       int
		says    string
	}{
		{"k = 0", lineGallery, lineLabels, q, ql, 0, "want k ≥ 1"},
		{"k > gallery", lineGallery, lineLabels, q, ql, 7, "k = 7 nearest neighbours but the gallery has only 6"},
		{"empty gallery", nil, nil, q, ql, 1, "empty kNN gallery"},
		{"no queries", lineGallery, lineLabels, nil, nil, 1, "no query features"},
		{"gallery labels", lineGallery, lineLabels[:5], q, ql, 1, "6 gallery features but 5 labels"},
		{"query labels", lineGallery, lineLabels, q, []int{0, 1}, 1, "1 query features but 2 labels"},
		{"dimension", lineGallery, lineLabels, [][]float32{{0}}, ql, 1, "dimension 1, want 2"},
		{"negative label", lineGallery, lineLabels, q, []int{-1}, 1, "out of range"},
	} {
		_, err := KNNAccuracy(c.gallery, c.gLabels, c.queries, c.qLabels, c.k)
		wantError(t, c.name, err, c.says)
	}
}

// BenchmarkKNNAccuracy10kBy10k is the per-record cost: 10,000 test features against a 10,000-feature gallery.
func BenchmarkKNNAccuracy10kBy10k(b *testing.B) {
	rng := rand.New(rand.NewPCG(5, 6))
	cloud := func(n int) ([][]float32, []int) {
		f, l := make([][]float32, n), make([]int, n)
		for i := range f {
			l[i] = rng.IntN(10)
			f[i] = []float32{float32(l[i]) + float32(rng.NormFloat64()), float32(rng.NormFloat64())}
		}
		return f, l
	}
	gallery, gLabels := cloud(10_000)
	queries, qLabels := cloud(10_000)
	for b.Loop() {
		if _, err := KNNAccuracy(gallery, gLabels, queries, qLabels, 1); err != nil {
			b.Fatal(err)
		}
	}
}
