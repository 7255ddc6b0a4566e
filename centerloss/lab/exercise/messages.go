package exercise

import "github.com/centerloss/centerloss/centerloss/language"

// Messages holds every string the checker prints, as format strings, so that a language is one table. A
// translation may reorder the arguments with explicit indices (%[2]s), since word order differs between languages.
// Hints start with their own separator (" (…)", "; …"), so a translation chooses its punctuation too.
type Messages struct {
	// PassLoss: the learner's function, the library's, the number of batches.
	PassLoss string
	// PassUpdate: the learner's function, the library's, the number of batches, the α used (a list).
	PassUpdate string
	// Fail starts every failure about one batch: the batch's name, then what differs.
	Fail string
	// FailAlpha is Fail for the update, which also names the batch's α.
	FailAlpha string

	NilLoss   string // the learner's function: it returned nil
	NilUpdate string // the learner's function: it returned nil
	Panicked  string // the learner's function, the panic's first line
	Broken    string // the error's first line: building or running the graph failed outside the learner's code
	NoBackend string // the error's first line

	WantScalar  string // the function, the shape it returned
	WantCenters string // the function, the shape it returned, the centers' shape
	WantDType   string // the function, its dtype, the features' dtype

	Loss            string // the learner's loss, the library's
	HintHalf        string // the loss is 2× the library's
	HintSum         string // the loss is batch× the library's: the batch size
	HintSumHalf     string // the loss is 2·batch× the library's: the batch size
	HintFeatureMean string // the loss is 1/dim of the library's: the dimension

	Gradient         string // the sample, the learner's ∂L/∂x_i, the library's
	HintZeroGradient string // the learner's gradient is zero everywhere
	CenterGradient   string // the class, the learner's ∂L/∂c_j, the library's (zero)

	Absent        string // the class, its center before, after the learner's update
	Moved         string // the class, its count (Samples or OneSample), learner's center, library's, the difference
	Samples       string // the number of samples of a class
	OneSample     string // a class with one sample
	HintNaN       string // a class absent from the batch got NaN
	HintNj        string // the update divided by n_j
	HintSign      string // the update moved the centers away from their samples
	HintBatchMean string // the update moved the centers towards the mean of the whole batch

	UnknownSolution string // the name asked for, the known names
}

// english is the reference table; the others translate it field by field.
var english = Messages{
	PassLoss:   "✓ %s matches %s on %d batches (value and gradient)",
	PassUpdate: "✓ %s matches %s on %d batches (the new center of every class, α = %s)",
	Fail:       "✗ batch %q: %s",
	FailAlpha:  "✗ batch %q (α = %g): %s",

	NilLoss:   "✗ %s returns nil: write the loss where it says TODO",
	NilUpdate: "✗ %s returns nil: write the update where it says TODO",
	Panicked:  "%s panicked: %s",
	Broken:    "GoMLX could not build or run the check: %s",
	NoBackend: "✗ no backend to run the check on: %s",

	WantScalar:  "%s returns shape %s: want a scalar (shape [])",
	WantCenters: "%s returns shape %s: want %s, the shape of the centers",
	WantDType:   "%s returns %s values: want %s, the dtype of the features",

	Loss:            "the loss is %s, the library's is %s",
	HintHalf:        " (your value is 2× it: did you forget the ½?)",
	HintSum:         " (your value is %d× it, the batch size: did you sum over the batch instead of averaging?)",
	HintSumHalf:     " (your value is %d× it, twice the batch size: average over the batch, and halve)",
	HintFeatureMean: " (your value is 1/%d of it: sum the squares over the feature axis, average over the batch only)",

	Gradient:         "the gradient for sample %d is %s, the library's is %s",
	HintZeroGradient: " (your loss does not reach the features: are they behind a StopGradient?)",
	CenterGradient: "the gradient reaches the centers: for class %d it is %s, the library's is %s " +
		"(put the centers behind graph.StopGradient: Eq. 4 moves them, not the optimizer)",

	Absent:    "the center of class %d (absent from the batch) moved from %s to %s; a class absent from the batch must stay put",
	Moved:     "class %d (%s): new center %s, the library's %s: off by %s",
	Samples:   "%d samples",
	OneSample: "1 sample",
	HintNaN:   " (NaN: 0/0 for a class with n_j = 0: Eq. 4 divides by 1 + n_j)",
	HintNj:    " (you divided by n_j: Eq. 4 divides by 1 + n_j, so that a class seen once does not jump onto its sample)",
	HintSign:  " (your centers move away from their samples: c_j ← c_j − α·Δc_j, with Δc_j = Σ (c_j − x_i)/(1 + n_j))",
	HintBatchMean: " (your centers move towards the mean of the whole batch: Eq. 4 moves c_j towards the samples " +
		"of class j only, i: y_i = j)",

	UnknownSolution: "no solution named %q: the exercises are %s",
}

// tables are the checker's messages by language, one for each of language.Known.
var tables = map[string]*Messages{"en": &english, "ja": &japanese}

// messages returns the table of the learner's language (language.Current): a lesson in notebooks/ja/ gets the
// Japanese one.
func messages() *Messages { return tables[language.Current()] }
