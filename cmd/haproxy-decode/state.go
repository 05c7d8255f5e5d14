package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/state"
)

// stateFlags are the flags of the state across lines, the plugin's
// Flap_Threshold, Flap_Window and State_File, and -tag, the plugin's tag
// (the key of the lines without a host name).
type stateFlags struct {
	threshold int
	window    time.Duration
	file      string
	tag       string
}

const stateUsage = `  -flap-threshold N         a server that changes state N times within
                            -flap-window is flapping (default 4; 2 to 64)
  -flap-window D            how far back -flap-threshold counts (default 10m)
  -state-file FILE          read the state across lines (outages in progress,
                            servers down) from FILE at start, write it at the end
  -tag NAME                 the stream's name, keying the state of lines
                            without a host name (the plugin uses the Fluent
                            Bit tag; default none)
`

func addStateFlags(fs *flag.FlagSet) *stateFlags {
	f := &stateFlags{}
	fs.IntVar(&f.threshold, "flap-threshold", state.DefaultFlapThreshold, "state changes within -flap-window that make a server flapping")
	fs.DurationVar(&f.window, "flap-window", state.DefaultFlapWindow, "how far back -flap-threshold counts")
	fs.StringVar(&f.file, "state-file", "", "file to read the state across lines from, and write it to at the end")
	fs.StringVar(&f.tag, "tag", "", "the stream's name, keying lines without a host name")
	return f
}

// tracker makes the run's tracker and reads -state-file. A bad flag is an
// error (exit 2); a state file that cannot be read is a warning and the
// state starts empty.
func (f *stateFlags) tracker(prog string, stderr io.Writer) (*state.Tracker, error) {
	if f.window <= 0 {
		return nil, fmt.Errorf("-flap-window %v: want a positive duration", f.window)
	}
	t, err := state.New(state.Config{FlapThreshold: f.threshold, FlapWindow: f.window})
	if err != nil {
		if errors.Is(err, state.ErrConfig) {
			return nil, fmt.Errorf("-flap-threshold %d: want 2 to %d", f.threshold, state.MaxFlapThreshold)
		}
		return nil, err
	}
	if f.file != "" {
		if err := t.Load(f.file); err != nil {
			fmt.Fprintf(stderr, "%s: warning: %v: starting without the saved state\n", prog, err)
		}
	}
	return t, nil
}

// save writes -state-file, if given.
func (f *stateFlags) save(t *state.Tracker, prog string, stderr io.Writer) bool {
	if f.file == "" {
		return true
	}
	if err := t.Save(f.file); err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", prog, err)
		return false
	}
	return true
}
