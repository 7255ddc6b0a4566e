package exercise

import (
	"math"

	"github.com/centerloss/centerloss/centerloss/language"
)

// updateHint recognises the common mistakes in Eq. 4 from the learner's new centers [classes, dim] on the whole
// batch, by redoing the mistake in plain Go: dividing by n_j (0/0 for an absent class, or a class seen once landing
// on its sample), the step's sign, or pulling the centers towards the batch's mean. "" when none fits.
func updateHint(got [][]float32, b *batch) string {
	counts := b.counts()
	for j, n := range counts {
		if n == 0 && hasNaN(got[j]) {
			return language.Say(" (NaN: 0/0 for a class with n_j = 0: Eq. 4 divides by 1 + n_j)")
		}
	}
	switch {
	case matchesPresent(got, eq4(b, 0, 1), counts):
		return language.Say(" (you divided by n_j: Eq. 4 divides by 1 + n_j, so that a " +
			"class seen once does not jump onto its sample)")
	case matchesPresent(got, eq4(b, 1, -1), counts):
		return language.Say(" (your centers move away from their samples: c_j ← c_j − " +
			"α·Δc_j, with Δc_j = Σ (c_j − x_i)/(1 + n_j))")
	case towardsBatchMean(got, b):
		return language.Say(" (your centers move towards the mean of the whole batch: Eq. 4 moves " +
			"c_j towards the samples of class j only, i: y_i = j)")
	}
	return ""
}

// eq4 is Eq. 4 in float64 loops, with the denominator's 1 replaced by offset and the step multiplied by sign:
// c_j − sign·α·Σ_{i: y_i=j} (c_j − x_i)/(offset + n_j) for the batch's classes; absent classes stay. [classes, dim]
func eq4(b *batch, offset, sign float64) [][]float64 {
	counts := b.counts()
	out := make([][]float64, len(b.centers))
	for j, c := range b.centers {
		out[j] = make([]float64, len(c))
		for d, v := range c {
			out[j][d] = float64(v)
		}
		if counts[j] == 0 {
			continue
		}
		for i, x := range b.features {
			if int(b.labels[i]) == j {
				for d := range c {
					out[j][d] -= sign * b.alpha * (float64(c[d]) - float64(x[d])) / (offset + float64(counts[j]))
				}
			}
		}
	}
	return out
}

// matchesPresent says whether got equals want, loosely, on every class of the batch (absent ones aside).
func matchesPresent(got [][]float32, want [][]float64, counts []int) bool {
	for j, n := range counts {
		if n == 0 {
			continue
		}
		for d, w := range want[j] {
			if !(math.Abs(float64(got[j][d])-w) <= 1e-4+1e-3*math.Abs(w)) {
				return false
			}
		}
	}
	return true
}

// towardsBatchMean says whether every center that moved went straight towards the mean of the whole batch, x̄,
// while Eq. 4 would have moved at least one of them elsewhere (towards its own class's samples). A batch of a single
// class, whose mean is the batch's, says nothing.
func towardsBatchMean(got [][]float32, b *batch) bool {
	mean, want := b.meanFeature(), eq4(b, 1, 1)
	moved, differs := false, false
	for j, c := range b.centers {
		toMean, move, correct := make([]float64, len(c)), make([]float64, len(c)), make([]float64, len(c))
		for d, v := range c {
			toMean[d] = mean[d] - float64(v)
			move[d] = float64(got[j][d]) - float64(v)
			correct[d] = want[j][d] - float64(v)
		}
		if norm(move) < 1e-6 {
			continue
		}
		if !(cosine(move, toMean) >= 0.999) { // NaN included
			return false
		}
		moved = true
		differs = differs || (norm(correct) > 1e-6 && cosine(correct, toMean) < 0.99)
	}
	return moved && differs
}

func cosine(a, b []float64) float64 {
	dot := 0.0
	for i := range a {
		dot += a[i] * b[i]
	}
	return dot / (norm(a)*norm(b) + 1e-30)
}

func norm(a []float64) float64 {
	sum := 0.0
	for _, v := range a {
		sum += v * v
	}
	return math.Sqrt(sum)
}

func hasNaN(row []float32) bool {
	for _, v := range row {
		if math.IsNaN(float64(v)) {
			return true
		}
	}
	return false
}
