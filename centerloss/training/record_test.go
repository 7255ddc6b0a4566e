package training

import (
	"os"
	"path/filepath"
	"testing"
)

func TestDropRecordsAfter(t *testing.T) {
	path := filepath.Join(t.TempDir(), MetricsFileName)
	if n, err := DropRecordsAfter(path, 10); n != 0 || err != nil {
		t.Fatalf("missing file: dropped %d, %v", n, err)
	}
	for step := 16; step <= 64; step += 16 {
		if err := AppendRecord(path, Record{Step: step, TestAccuracy: float64(step) / 100}); err != nil {
			t.Fatal(err)
		}
	}
	before, _ := os.ReadFile(path)
	if n, err := DropRecordsAfter(path, 64); n != 0 || err != nil {
		t.Fatalf("nothing to drop: dropped %d, %v", n, err)
	}
	if after, _ := os.ReadFile(path); string(after) != string(before) {
		t.Error("the file changed though nothing was dropped")
	}
	// A run killed after its step-48 and step-64 records, resumed from the step-32 checkpoint.
	if n, err := DropRecordsAfter(path, 32); n != 2 || err != nil {
		t.Fatalf("dropped %d, %v; want 2", n, err)
	}
	records, err := ReadRecords(path)
	if err != nil || len(records) != 2 || records[0].Step != 16 || records[1] != (Record{Step: 32, TestAccuracy: 0.32}) {
		t.Errorf("left %+v, %v; want the records of steps 16 and 32", records, err)
	}
}

func TestReadRecordsNamesTheBadLine(t *testing.T) {
	path := filepath.Join(t.TempDir(), MetricsFileName)
	if err := os.WriteFile(path, []byte("{\"step\":1}\n{\"step\":2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	records, err := ReadRecords(path)
	if len(records) != 1 || err == nil || err.Error() != "metrics "+path+": line 2 is not a record: unexpected end of JSON input" {
		t.Errorf("got %v, %v", records, err)
	}
}
