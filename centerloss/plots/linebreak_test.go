package plots

import (
	"reflect"
	"testing"
)

// TestSegments: English breaks at spaces only; Japanese between any two characters, but a closing mark stays with
// the character before it and an opening one with the one after; figures and Latin words stay whole.
func TestSegments(t *testing.T) {
	for _, c := range []struct {
		line string
		want []segment
	}{
		{"accuracy 97.04%, distance 1.2", []segment{{"accuracy", false}, {"97.04%,", true}, {"distance", true},
			{"1.2", true}}},
		{"精度 97.0%（softmax）", []segment{{"精", false}, {"度", false}, {"97.0%", true}, {"（softmax）", false}}},
		{"中心、更新", []segment{{"中", false}, {"心、", false}, {"更", false}, {"新", false}}},
		{"ステップ 150、精度", []segment{{"ス", false}, {"テ", false}, {"ッ", false}, {"プ", false}, {"150、", true},
			{"精", false}, {"度", false}}},
		{"", nil},
	} {
		if got := segments(c.line); !reflect.DeepEqual(got, c.want) {
			t.Errorf("segments(%q) = %v, want %v", c.line, got, c.want)
		}
	}
}

// TestWrapLineJapanese: a Japanese caption wider than its tile breaks between characters, never before "、" nor
// after "（", and no line is wider than the tile; joined again it is the caption (Japanese adds no spaces).
func TestWrapLineJapanese(t *testing.T) {
	style := captionStyle(gridCaptionPt)
	line := "ステップ 150、精度 97.04%（softmax で判定）、中心までの距離 1.25"
	width := style.Width("ステップ 150、精度")
	lines := wrapLine(line, style, width)
	if len(lines) < 3 {
		t.Fatalf("%q in %v: %q, want it broken in three lines or more", line, width, lines)
	}
	joined := ""
	for i, l := range lines {
		if style.Width(l) > width {
			t.Errorf("line %d %q is wider than %v", i, l, width)
		}
		for _, bad := range []string{"、", "）", "%"} {
			if len(l) >= len(bad) && l[:len(bad)] == bad {
				t.Errorf("line %d %q starts with %q", i, l, bad)
			}
		}
		if l != "" && l[len(l)-len("（"):] == "（" {
			t.Errorf("line %d %q ends with （", i, l)
		}
		if joined != "" && breaksAround(lastRune(joined)) && breaksAround(firstRune(l)) {
			joined += l
		} else if joined != "" {
			joined += " " + l
		} else {
			joined = l
		}
	}
	if joined != line {
		t.Errorf("joined again: %q, want %q", joined, line)
	}
}

func lastRune(s string) rune {
	r := []rune(s)
	return r[len(r)-1]
}

func firstRune(s string) rune { return []rune(s)[0] }
