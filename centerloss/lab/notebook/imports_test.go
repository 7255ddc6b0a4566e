package notebook_test

import (
	"testing"

	"github.com/centerloss/centerloss/centerloss/internal/gosource"
	// The lessons' packages, imported for their side effects, of which there must be none (the library's are
	// checked by its own module, in centerloss/imports_test.go, which also reads these files for init functions).
	_ "github.com/centerloss/centerloss/centerloss/lab/bench"
	_ "github.com/centerloss/centerloss/centerloss/lab/exercise"
	_ "github.com/centerloss/centerloss/centerloss/lab/notebook"
)

// TestImportChangesNoGoMLXTable: with the lessons' packages imported, every gradient GoMLX registers is its own.
func TestImportChangesNoGoMLXTable(t *testing.T) { gosource.AssertGoMLXGradients(t) }
