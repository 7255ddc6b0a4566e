// Package metrics measures an embedding: how tight each class's cluster is, how far apart the classes are, how
// well nearest neighbours agree on the class, and how well the distance to the nearest center tells an unseen
// class from the known ones (open-set recognition). It is plain Go, with no GoMLX, so that every figure can be
// checked by hand on a few points.
//
// Conventions shared by every function:
//   - a feature, a center, is a []float32 of the embedding's dimension; distances are Euclidean, summed in float64;
//   - labels are ints, the index of the class's center;
//   - a nil center is a class that has no center to speak of (a digit held out of training, whose center never
//     moved): the functions that search centers skip it, and a feature labelled with it is an error;
//   - bad input (empty sets, lengths that disagree, labels out of range, non-finite values) is an error that says
//     what is wrong, never a panic and never a NaN.
package metrics
