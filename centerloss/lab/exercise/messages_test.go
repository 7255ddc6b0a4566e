package exercise

import (
	"strings"
	"testing"

	"github.com/centerloss/centerloss/centerloss/internal/testbackend"
	"github.com/centerloss/centerloss/centerloss/language"
	"github.com/gomlx/gomlx/core/graph"
)

// TestJapaneseMessages: in a Japanese lesson the checker answers in Japanese, with the same figures. Its words are
// language's table (language/japanese.go), whose own tests check that every phrase said has its Japanese, with the
// same arguments.
func TestJapaneseMessages(t *testing.T) {
	defer language.Set(language.Chosen)
	language.Set("ja")
	backend := testbackend.Get(t)
	if r := CheckCenterLossOn(backend, nilLoss); r.String() != "✗ nilLoss が nil を返しています: TODO の箇所に損失を書いてください" {
		t.Errorf("nil loss: %q", r)
	}
	if r := CheckCenterLossOn(backend, myCenterLoss); !r.OK() ||
		r.String() != "✓ myCenterLoss は centerloss.CenterLoss と 7 個のミニバッチで一致しました（値と勾配）" {
		t.Errorf("solution: %q", r)
	}
	doubled := func(x, y, c *graph.Node) *graph.Node { return graph.MulScalar(myCenterLoss(x, y, c), 2) }
	if r := CheckCenterLossOn(backend, doubled); !strings.HasPrefix(r.String(),
		"✗ ミニバッチ「10 クラスから 16 サンプル、ラベルの重複あり」: 損失が") {
		t.Errorf("a doubled loss: %q", r)
	}
}
