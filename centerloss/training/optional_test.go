package training

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/centerloss/centerloss/centerloss/evaluation"
)

// TestOptionalFiguresRoundTrip: a held-out digit 0 and an AUROC of exactly 0 are figures, and must be written and
// read back as such; figures that do not exist are absent; records read back compare equal with ==.
func TestOptionalFiguresRoundTrip(t *testing.T) {
	with := Record{Step: 16, EmbeddingMetrics: evaluation.EmbeddingMetrics{HoldoutDigit: evaluation.Some(0), OpenSetAUROC: evaluation.Some(0.0),
		IntraInterRatio: evaluation.Some(0.25), ClosestCenters: [2]int{4, 9}}}
	line, err := json.Marshal(with)
	if err != nil {
		t.Fatal(err)
	}
	for _, part := range []string{`"holdout_digit":0`, `"open_set_auroc":0`, `"intra_inter_ratio":0.25`, `"closest_centers":[4,9]`} {
		if !strings.Contains(string(line), part) {
			t.Errorf("no %s in %s", part, line)
		}
	}
	path := filepath.Join(t.TempDir(), MetricsFileName)
	without := Record{Step: 32}
	for _, r := range []Record{with, without} {
		if err := AppendRecord(path, r); err != nil {
			t.Fatal(err)
		}
	}
	records, err := ReadRecords(path)
	if err != nil || len(records) != 2 || records[0] != with || records[1] != without {
		t.Errorf("read back %+v, %v", records, err)
	}
	var o evaluation.Optional[float64]
	if err := json.Unmarshal([]byte("null"), &o); err != nil || o.OK {
		t.Errorf("null: %+v, %v", o, err)
	}
	if err := json.Unmarshal([]byte(`"x"`), &o); err == nil {
		t.Error("a string for a float: no error")
	}
}
