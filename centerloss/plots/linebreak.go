package plots

import (
	"strings"
	"unicode"

	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
)

// segment is a piece of a line that a line break may not split: a word, or one Japanese character with the
// punctuation that may not be parted from it.
type segment struct {
	text  string
	space bool // a space comes before it when it follows another segment on the same line
}

// segments splits a line where it may break: at spaces, and between Japanese characters, which have no spaces
// between them. As Japanese typesetting (kinsoku) asks, a closing mark (、。）) stays with the character before it
// and an opening one (（「) with the one after.
func segments(line string) []segment {
	var segs []segment
	space, glue := false, false
	last := rune(0)
	for _, r := range line {
		if unicode.IsSpace(r) {
			space = true
			continue
		}
		joins := glue || strings.ContainsRune(noLineStart, r) || (!breaksAround(r) && !breaksAround(last))
		if len(segs) > 0 && !space && joins {
			segs[len(segs)-1].text += string(r)
		} else {
			segs = append(segs, segment{text: string(r), space: space && len(segs) > 0})
		}
		glue, space, last = strings.ContainsRune(noLineEnd, r), false, r
	}
	return segs
}

// noLineStart are the marks a line may not start with, noLineEnd those it may not end with.
const (
	noLineStart = "、。，．・：；？！）」』】〕ー…%"
	noLineEnd   = "（「『【〔"
)

// breaksAround says whether a line may break before and after r: a Japanese character (kanji, kana, their marks).
func breaksAround(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana) || (r >= 0x3000 && r <= 0x303f) ||
		(r >= 0xff00 && r <= 0xffef)
}

// wrapLine breaks one line of text into lines no wider than width in style, between segments (a segment wider than
// width between its letters, at least one letter to a line).
func wrapLine(line string, style text.Style, width vg.Length) []string {
	var lines []string
	current := ""
	for _, seg := range segments(line) {
		sep := ""
		if seg.space {
			sep = " "
		}
		if current != "" && style.Width(current+sep+seg.text) <= width {
			current += sep + seg.text
			continue
		}
		if current != "" {
			lines = append(lines, current)
		}
		current = ""
		for _, r := range seg.text { // only a segment wider than the whole line is broken
			if current != "" && style.Width(current+string(r)) > width {
				lines = append(lines, current)
				current = ""
			}
			current += string(r)
		}
	}
	return append(lines, current)
}
