package engine

import "time"

// commit passes one commit's latency and size to the observer, which
// turns them into metrics; the engine does not know how they are shown.
func (o Observer) commit(d time.Duration, chunks int) {
	if o.Commit != nil {
		o.Commit(d, chunks)
	}
}
