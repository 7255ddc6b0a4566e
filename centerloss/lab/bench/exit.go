package bench

import (
	"fmt"
	"os"
)

// ExitOnError ends a command of this module: with err, one line naming the command on standard error and exit
// status 1; without, nothing.
func ExitOnError(command string, err error) {
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", command, err)
		os.Exit(1)
	}
}
