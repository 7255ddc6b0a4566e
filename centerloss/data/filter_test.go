package data

import (
	"bytes"
	"testing"
)

// tiny is four 1×2 images, pixel values telling them apart, labelled 3, 1, 3, 2.
func tiny() Split {
	return Split{
		Images: &Images{N: 4, Rows: 1, Cols: 2, Pixels: []byte{10, 11, 20, 21, 30, 31, 40, 41}},
		Labels: []uint8{3, 1, 3, 2},
	}
}

func TestWithout(t *testing.T) {
	s := tiny()
	got := Without(s, 3)
	if got.Len() != 2 || got.Images.N != 2 || !bytes.Equal(got.Labels, []uint8{1, 2}) ||
		!bytes.Equal(got.Images.Pixels, []byte{20, 21, 40, 41}) || got.Images.Rows != 1 || got.Images.Cols != 2 {
		t.Errorf("without 3: %+v %+v", got, got.Images)
	}
	if !bytes.Equal(s.Labels, []uint8{3, 1, 3, 2}) || s.Images.Pixels[0] != 10 || s.Images.N != 4 {
		t.Error("Without changed its input")
	}
	if got := Without(s, 7); got.Len() != 4 || !bytes.Equal(got.Images.Pixels, s.Images.Pixels) {
		t.Errorf("without an absent label: %+v", got)
	}
	if got := Without(Split{Images: &Images{N: 1, Rows: 1, Cols: 2, Pixels: []byte{1, 2}}, Labels: []uint8{5}}, 5); got.Len() != 0 || got.Images.N != 0 || len(got.Images.Pixels) != 0 {
		t.Errorf("without the only label: %+v", got)
	}
}

func TestHead(t *testing.T) {
	s := tiny()
	got := Head(s, 3)
	if got.Len() != 3 || got.Images.N != 3 || !bytes.Equal(got.Images.Pixels, []byte{10, 11, 20, 21, 30, 31}) {
		t.Errorf("head 3: %+v %+v", got, got.Images)
	}
	if s.Images.N != 4 {
		t.Error("Head changed its input")
	}
	for _, n := range []int{4, 100} {
		if got := Head(s, n); got.Len() != 4 || got.Images.N != 4 {
			t.Errorf("head %d of 4: %d", n, got.Len())
		}
	}
	if got := Head(s, -1); got.Len() != 0 {
		t.Errorf("head -1: %d", got.Len())
	}
}
