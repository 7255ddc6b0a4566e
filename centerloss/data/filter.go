package data

// Without returns the examples of s whose label is not label, in their order, as a new split (s is untouched).
// It is how a class is held out of training for open-set tests: the model never sees it, while the test split
// keeps it, to be told apart from the known classes.
func Without(s Split, label uint8) Split {
	size := s.Images.Rows * s.Images.Cols
	images := &Images{Rows: s.Images.Rows, Cols: s.Images.Cols}
	var labels []uint8
	for i, l := range s.Labels {
		if l == label {
			continue
		}
		labels = append(labels, l)
		images.Pixels = append(images.Pixels, s.Images.Pixels[i*size:(i+1)*size]...)
	}
	images.N = len(labels)
	return Split{Images: images, Labels: labels}
}

// Head returns the first n examples of s (all of them when s has fewer), sharing its memory: a fixed subset,
// the same every time, e.g. the gallery of a k-nearest-neighbour evaluation.
func Head(s Split, n int) Split {
	n = max(0, min(n, s.Len()))
	size := s.Images.Rows * s.Images.Cols
	images := *s.Images
	images.N, images.Pixels = n, images.Pixels[:n*size]
	return Split{Images: &images, Labels: s.Labels[:n]}
}
