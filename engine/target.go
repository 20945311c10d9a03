package engine

import (
	"errors"
	"fmt"

	"golang.org/x/sys/unix"

	"filegen/store"
)

// errTargetLost means the target's root folder was removed while the run
// held it open.
var errTargetLost = fmt.Errorf("%w: the target folder was removed during the run; "+
	"every file made so far went with it: run the same command again to "+
	"create the tree from the start", ErrTarget)

// targetLost reports whether the folder behind root has been removed.
// Creating entries under a removed folder fails with ENOENT, which alone
// looks like a per-file error; a removed folder has no links left.
func targetLost(root int) bool {
	var st unix.Stat_t
	return unix.Fstat(root, &st) == nil && st.Nlink == 0
}

// lostWith reports whether a chunk's result shows that the target was
// removed: some entry failed as missing and the root has no links.
func lostWith(root int, r store.Result) bool {
	for _, e := range r.Errors {
		if unix.Errno(e.Errno) == unix.ENOENT {
			return targetLost(root)
		}
	}
	return false
}

// forgetLost returns every chunk to pending when the run stopped because
// its target was removed, so that the next start makes the whole tree.
func forgetLost(db *store.DB, stopErr error) error {
	if !errors.Is(stopErr, errTargetLost) {
		return nil
	}
	return db.ResetProgress()
}
