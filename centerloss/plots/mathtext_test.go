package plots

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestMathText(t *testing.T) {
	assert.Equal(t, []mathRun{{text: "x"}, {text: "1", sub: true}}, mathText("x_1").runs())
	assert.Equal(t, []mathRun{{text: "x"}, {text: "12", sub: true}, {text: " … y"}, {text: "ab", sub: true}}, mathText("x_12 … y_{ab}").runs())
	assert.Equal(t, []mathRun{{text: "their mean "}, {text: "x", bar: true}}, mathText(`their mean \bar{x}`).runs())
	assert.Equal(t, []mathRun{{text: "c − x"}, {text: "i", sub: true}, {text: ", Eq. 4's terms"}}, mathText("c − x_i, Eq. 4's terms").runs())
	// A subscript is set smaller: x_1 is x at 12 points and 1 at 8.4.
	x, one := runFace(12, false).Width("x"), runFace(12, true).Width("1")
	assert.InDelta(t, float64(x+one), float64(mathText("x_1").width(12)), 1e-9)
	assert.InDelta(t, 8.4/12, float64(one/runFace(12, false).Width("1")), 1e-3)
}
