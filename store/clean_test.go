package store_test

import (
	"testing"

	"filegen/store"
)

func TestNotDurableAndReset(t *testing.T) {
	db := planned(t, 6)
	claimed, _, err := db.Step(nil, 6)
	if err != nil || len(claimed) != 6 {
		t.Fatalf("Step claimed %v, %v", claimed, err)
	}
	_, seq, err := db.Step([]store.Result{{Chunk: 0, Files: 1}, {Chunk: 1, Files: 1}}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.SetDurable(seq); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.Step([]store.Result{{Chunk: 4, Files: 1}, {Chunk: 2, Files: 1}}, 0); err != nil {
		t.Fatal(err)
	}
	got, err := db.NotDurable()
	if err != nil {
		t.Fatal(err)
	}
	if want := []int{2, 4}; !equal(got, want) {
		t.Errorf("NotDurable = %v, want %v", got, want)
	}

	if err := db.ResetProgress(); err != nil {
		t.Fatal(err)
	}
	c, err := db.Counters()
	if err != nil {
		t.Fatal(err)
	}
	if c != (store.Counters{}) {
		t.Errorf("counters after ResetProgress = %+v, want zero", c)
	}
	claimed, _, err = db.Step(nil, 10)
	if err != nil {
		t.Fatal(err)
	}
	if want := []int{0, 1, 2, 3, 4, 5}; !equal(claimed, want) {
		t.Errorf("after ResetProgress Step claimed %v, want %v", claimed, want)
	}
}

func TestCleanProgress(t *testing.T) {
	db := planned(t, 3)
	if _, _, err := db.Step([]store.Result{{Chunk: 0, Files: 5}}, 0); err != nil {
		t.Fatal(err)
	}
	p, err := db.BeginClean()
	if err != nil {
		t.Fatal(err)
	}
	if p != (store.CleanProgress{}) {
		t.Errorf("a new clean starts at %+v, want zero", p)
	}
	if c, _ := db.Counters(); c.Files != 0 {
		t.Errorf("files counted after BeginClean = %d, want 0", c.Files)
	}
	want := store.CleanProgress{Chunks: 2, Files: 9, Dirs: 1}
	if err := db.SetCleanProgress(want); err != nil {
		t.Fatal(err)
	}

	// A clean started again continues; one started after it ended
	// starts over.
	if p, err = db.BeginClean(); err != nil || p != want {
		t.Errorf("BeginClean again = %+v, %v; want %+v", p, err, want)
	}
	if err := db.EndClean(want, "done"); err != nil {
		t.Fatal(err)
	}
	if r, _ := db.Run(); r.State != store.Cleaned {
		t.Errorf("state after EndClean = %s, want %s", r.State, store.Cleaned)
	}
	if p, err = db.BeginClean(); err != nil || p != (store.CleanProgress{}) {
		t.Errorf("BeginClean after EndClean = %+v, %v; want zero", p, err)
	}
}
