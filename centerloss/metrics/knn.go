package metrics

import (
	"fmt"
	"math"
	"runtime"
	"sync"
	"sync/atomic"
)

// KNNAccuracy classifies each query feature by its k nearest gallery features (Euclidean) and returns the
// fraction classified as their own label. It asks the embedding what a retrieval system would ask of it: are
// the closest known examples of the same class? Unlike the softmax accuracy, it ignores the classifier layer.
//
// The vote is by majority among the k neighbours. A tie between classes goes to the tied class whose member is
// nearest the query (for k = 2 with two classes, the nearest neighbour's class), so the rule never depends on
// class numbering. Among gallery features at exactly the same distance, the one earlier in the gallery is
// the nearer (deterministic, whatever the goroutines do).
//
// Brute force: O(len(gallery)·len(queries)·dim) time; memory is one flat copy of the gallery and O(k) per
// goroutine, no distance matrix. 10,000 × 10,000 in 2-D is 10⁸ distances: 0.37 s on one core of the 2-core
// development machine (BenchmarkKNNAccuracy10kBy10k). Queries are shared among GOMAXPROCS goroutines.
func KNNAccuracy(gallery [][]float32, galleryLabels []int, queries [][]float32, queryLabels []int, k int) (float64, error) {
	if k < 1 {
		return 0, fmt.Errorf("metrics: k = %d nearest neighbours, want k ≥ 1", k)
	}
	if len(gallery) == 0 {
		return 0, fmt.Errorf("metrics: empty kNN gallery")
	}
	if k > len(gallery) {
		return 0, fmt.Errorf("metrics: k = %d nearest neighbours but the gallery has only %d features", k, len(gallery))
	}
	dim, err := checkPoints("gallery feature", gallery, -1, false)
	if err != nil {
		return 0, err
	}
	if err := checkLabelled("gallery features", gallery, galleryLabels, dim, maxInt); err != nil {
		return 0, err
	}
	if err := checkLabelled("query features", queries, queryLabels, dim, maxInt); err != nil {
		return 0, err
	}

	// The gallery, flattened: one contiguous block the inner loop walks without chasing a pointer per feature.
	flat := make([]float32, 0, len(gallery)*dim)
	for _, f := range gallery {
		flat = append(flat, f...)
	}

	const chunk = 64 // queries a goroutine takes at a time: few enough to share the tail, many enough to be cheap
	var next, correct atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), (len(queries)+chunk-1)/chunk) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			nn := newNeighbours(k)
			var mine int64
			for {
				start := int(next.Add(chunk)) - chunk
				if start >= len(queries) {
					break
				}
				for q := start; q < min(start+chunk, len(queries)); q++ {
					nn.reset()
					nn.scan(queries[q], flat)
					if nn.vote(galleryLabels) == queryLabels[q] {
						mine++
					}
				}
			}
			correct.Add(mine)
		}()
	}
	wg.Wait()
	return float64(correct.Load()) / float64(len(queries)), nil
}

const maxInt = int(^uint(0) >> 1)

// neighbours keeps the k nearest gallery features seen so far, sorted by distance.
type neighbours struct {
	dist  []float64 // squared distances, ascending
	index []int     // gallery indices
	votes []int     // scratch for vote
}

func newNeighbours(k int) *neighbours {
	return &neighbours{dist: make([]float64, 0, k), index: make([]int, 0, k), votes: make([]int, k)}
}

func (n *neighbours) reset() { n.dist, n.index = n.dist[:0], n.index[:0] }

// scan offers every feature of the flattened gallery. Most are farther than the k-th nearest so far, and are
// dropped by one comparison before any call.
func (n *neighbours) scan(query, flat []float32) {
	dim := len(query)
	worst := math.Inf(1)
	for g, off := 0, 0; off < len(flat); g, off = g+1, off+dim {
		var d float64
		if dim == 2 { // the paper's embedding: unrolled, about twice as fast
			dx, dy := float64(query[0])-float64(flat[off]), float64(query[1])-float64(flat[off+1])
			d = dx*dx + dy*dy
		} else {
			for i, v := range flat[off : off+dim] {
				diff := float64(query[i]) - float64(v)
				d += diff * diff
			}
		}
		if d < worst {
			n.offer(d, g)
			if len(n.dist) == cap(n.dist) {
				worst = n.dist[len(n.dist)-1]
			}
		}
	}
}

// offer considers gallery feature g at squared distance d. Strict comparisons keep the earlier of equals.
func (n *neighbours) offer(d float64, g int) {
	k := cap(n.dist)
	if len(n.dist) == k {
		if d >= n.dist[k-1] {
			return
		}
		n.dist, n.index = n.dist[:k-1], n.index[:k-1] // the farthest leaves
	}
	i := len(n.dist)
	n.dist, n.index = append(n.dist, 0), append(n.index, 0)
	for ; i > 0 && n.dist[i-1] > d; i-- {
		n.dist[i], n.index[i] = n.dist[i-1], n.index[i-1]
	}
	n.dist[i], n.index[i] = d, g
}

// vote returns the majority class of the neighbours; a tie goes to the tied class with the nearest member.
// votes[i] counts the neighbours sharing neighbour i's class (O(k²), k is small).
func (n *neighbours) vote(labels []int) int {
	best := 0
	for i, gi := range n.index {
		n.votes[i] = 0
		for _, gj := range n.index {
			if labels[gj] == labels[gi] {
				n.votes[i]++
			}
		}
		if n.votes[i] > n.votes[best] { // strict: on a tie the nearer (earlier) neighbour's class stays
			best = i
		}
	}
	return labels[n.index[best]]
}
