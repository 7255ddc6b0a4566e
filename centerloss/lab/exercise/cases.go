package exercise

import (
	"math"
	"math/rand"

	"github.com/centerloss/centerloss/centerloss/language"

	"github.com/gomlx/gomlx/core/tensors"
)

// batch is one named case that the learner's function and the library's both run on. Its name says what it tests,
// so that a failure tells the learner which situation their code gets wrong.
type batch struct {
	name     string
	features [][]float32 // [batch, dim]
	labels   []int32     // [batch]
	centers  [][]float32 // [classes, dim]
	alpha    float64     // the update's α
}

// seed fixes the batches: a learner who reruns a check sees the same numbers.
const seed = 2016

// batches are the cases of both checks, each a situation a plausible mistake gets wrong: the first, with repeated
// labels and absent classes, catches most; then an absent class, a class seen once (where 1 + n_j ≠ n_j matters
// most), a batch of one, a single class, a larger batch, and features of dimension 3 against a hard-coded 2. The α
// vary so that a hard-coded α fails too.
func batches() []batch {
	rng := rand.New(rand.NewSource(seed))
	var oneOf3 []int32
	for range 8 {
		oneOf3 = append(oneOf3, []int32{0, 1, 2, 5, 6}[rng.Intn(5)])
	}
	oneOf3 = append(oneOf3[:2], append([]int32{3}, oneOf3[2:]...)...)
	return []batch{
		makeBatch(rng, language.Say("16 samples of 10 classes, labels repeated"), 0.5, 10, 2, drawLabels(rng, 16, 10, -1)),
		makeBatch(rng, language.Say("class 4 absent from the batch"), 0.5, 10, 2, drawLabels(rng, 12, 10, 4)),
		makeBatch(rng, language.Say("one sample of class 3"), 1, 10, 2, oneOf3),
		makeBatch(rng, language.Say("a batch of 1"), 1, 10, 2, []int32{7}),
		makeBatch(rng, language.Say("all 8 samples of class 6"), 0.1, 10, 2, []int32{6, 6, 6, 6, 6, 6, 6, 6}),
		makeBatch(rng, language.Say("32 samples of 10 classes"), 0.1, 10, 2, drawLabels(rng, 32, 10, -1)),
		makeBatch(rng, language.Say("features of dimension 3"), 0.5, 5, 3, drawLabels(rng, 10, 5, -1)),
	}
}

// drawLabels draws n labels among classes, never absent (-1 for none).
func drawLabels(rng *rand.Rand, n, classes int, absent int32) []int32 {
	labels := make([]int32, n)
	for i := range labels {
		labels[i] = int32(rng.Intn(classes))
		for labels[i] == absent {
			labels[i] = int32(rng.Intn(classes))
		}
	}
	return labels
}

// makeBatch draws the features and centers for labels: coordinates with one decimal, so that the numbers a
// failure prints are easy to read and to redo by hand.
func makeBatch(rng *rand.Rand, name string, alpha float64, classes, dim int, labels []int32) batch {
	b := batch{name: name, labels: labels, alpha: alpha}
	b.features = drawRows(rng, len(labels), dim)
	b.centers = drawRows(rng, classes, dim)
	return b
}

// drawRows draws n rows of dim coordinates around 0, rounded to 0.1.
func drawRows(rng *rand.Rand, n, dim int) [][]float32 {
	rows := make([][]float32, n)
	for i := range rows {
		rows[i] = make([]float32, dim)
		for d := range rows[i] {
			rows[i][d] = float32(math.Round(rng.NormFloat64()*15) / 10)
		}
	}
	return rows
}

// inputs are the batch as the tensors x, y, c of the exercises' signatures.
func (b *batch) inputs() []*tensors.Tensor {
	return []*tensors.Tensor{tensors.FromValue(b.features), tensors.FromValue(b.labels), tensors.FromValue(b.centers)}
}

// dim is the feature dimension.
func (b *batch) dim() int { return len(b.centers[0]) }

// counts are n_j, the number of samples of each class in the batch: [classes].
func (b *batch) counts() []int {
	n := make([]int, len(b.centers))
	for _, y := range b.labels {
		n[y]++
	}
	return n
}

// meanFeature is the mean of the whole batch's features [dim], what a batch-mean mistake pulls the centers to.
func (b *batch) meanFeature() []float64 {
	mean := make([]float64, b.dim())
	for _, x := range b.features {
		for d, v := range x {
			mean[d] += float64(v) / float64(len(b.features))
		}
	}
	return mean
}
