package store_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"filegen/store"
)

// openTest opens a database in a temporary folder and checks its
// consistency when the test ends.
func openTest(t *testing.T) *store.DB {
	t.Helper()
	db, err := store.Open(filepath.Join(t.TempDir(), "runs", "t.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := db.Check(); err != nil {
			t.Error(err)
		}
		db.Close()
	})
	return db
}

// planned returns a database with a run of n chunks.
func planned(t *testing.T, n int) *store.DB {
	t.Helper()
	db := openTest(t)
	if err := db.CreateRun(store.Run{Name: "t", State: store.Planned, Chunks: n}); err != nil {
		t.Fatal(err)
	}
	data := make([][]byte, n)
	for i := range data {
		data[i] = []byte{byte(i)}
	}
	if err := db.PutChunks(0, data); err != nil {
		t.Fatal(err)
	}
	return db
}

func TestClaimCommitCountsOnce(t *testing.T) {
	db := planned(t, 5)
	claimed, _, err := db.Step(nil, 3)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := claimed, []int{0, 1, 2}; !equal(got, want) {
		t.Fatalf("Step claimed %v, want %v", got, want)
	}
	res := []store.Result{{Chunk: 0, Files: 10, Bytes: 100, Dirs: 1}, {Chunk: 1, Files: 5, Bytes: 50}}
	// The same results twice: the second time must count nothing.
	for range 2 {
		if _, _, err := db.Step(res, 0); err != nil {
			t.Fatal(err)
		}
	}
	c, err := db.Counters()
	if err != nil {
		t.Fatal(err)
	}
	if c.Files != 15 || c.Bytes != 150 || c.Chunks != 2 || c.Dirs != 1 {
		t.Errorf("Counters = %+v, want 2 chunks, 15 files, 150 bytes, 1 dir", c)
	}

	// Chunk 2 is still claimed; the rest are pending.
	claimed, _, _ = db.Step(nil, 10)
	if got, want := claimed, []int{3, 4}; !equal(got, want) {
		t.Errorf("Step claimed %v, want %v", got, want)
	}
}

func TestRecover(t *testing.T) {
	db := planned(t, 6)
	db.Step(nil, 6)
	_, seq1, _ := db.Step([]store.Result{{Chunk: 0, Files: 1}, {Chunk: 1, Files: 1}}, 0)
	if err := db.SetDurable(seq1); err != nil {
		t.Fatal(err)
	}
	db.Step([]store.Result{{Chunk: 2, Files: 1}}, 0)

	// A clean restart: only the claimed chunks 3, 4, 5 return.
	n, err := db.Recover(false)
	if err != nil || n != 3 {
		t.Fatalf("Recover(clean) = %d, %v; want 3", n, err)
	}
	db.Step(nil, 6)
	// An unclean one: chunk 2 was committed after the durable mark.
	n, err = db.Recover(true)
	if err != nil || n != 4 {
		t.Fatalf("Recover(unclean) = %d, %v; want 4", n, err)
	}
	c, _ := db.Counters()
	if c.Files != 2 || c.Chunks != 2 {
		t.Errorf("after recovery Counters = %+v, want 2 files in 2 chunks", c)
	}
	claimed, _, _ := db.Step(nil, 10)
	if got, want := claimed, []int{2, 3, 4, 5}; !equal(got, want) {
		t.Errorf("Step claimed %v, want %v", got, want)
	}
}

func TestReleaseMakesPendingAgain(t *testing.T) {
	db := planned(t, 3)
	claimed, _, _ := db.Step(nil, 3)
	if err := db.Release(claimed[1:]); err != nil {
		t.Fatal(err)
	}
	again, _, _ := db.Step(nil, 3)
	if got, want := again, []int{1, 2}; !equal(got, want) {
		t.Errorf("after Release, Step claimed %v, want %v", got, want)
	}
}

func TestOpenRefuses(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	garbage := make([]byte, 64<<10)
	for i := range garbage {
		garbage[i] = byte(i * 7)
	}
	cases := map[string]struct {
		path string
		want error
	}{
		"text":    {write("text.db", []byte("hello, this is not a database\n")), store.ErrNotDatabase},
		"garbage": {write("garbage.db", garbage), store.ErrNotDatabase},
		"dir":     {dir, store.ErrNotDatabase},
	}

	// Another bbolt database, and one from a newer schema.
	other := filepath.Join(dir, "other.db")
	b, _ := bolt.Open(other, 0o600, nil)
	b.Update(func(tx *bolt.Tx) error { _, err := tx.CreateBucket([]byte("x")); return err })
	b.Close()
	cases["other bbolt"] = struct {
		path string
		want error
	}{other, store.ErrNotDatabase}

	newer := filepath.Join(dir, "newer.db")
	db, err := store.Open(newer, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	b, _ = bolt.Open(newer, 0o600, nil)
	b.Update(func(tx *bolt.Tx) error {
		return tx.Bucket([]byte("meta")).Put([]byte("schema"), binary.BigEndian.AppendUint64(nil, 99))
	})
	b.Close()
	cases["newer"] = struct {
		path string
		want error
	}{newer, store.ErrNewerSchema}

	for name, c := range cases {
		before, _ := os.ReadFile(c.path)
		_, err := store.Open(c.path, store.Options{})
		if !errors.Is(err, c.want) {
			t.Errorf("Open(%s) = %v, want %v", name, err, c.want)
		}
		after, _ := os.ReadFile(c.path)
		if string(before) != string(after) {
			t.Errorf("Open(%s) changed the file", name)
		}
	}
}

func TestOpenLocked(t *testing.T) {
	db := openTest(t)
	_, err := store.Open(db.Path(), store.Options{Timeout: 50 * time.Millisecond})
	if !errors.Is(err, store.ErrLocked) {
		t.Errorf("second Open = %v, want ErrLocked", err)
	}
}

func TestModes(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state")
	db, err := store.Open(store.RunPath(dir, "x"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	for p, want := range map[string]os.FileMode{
		filepath.Join(dir, "runs"):         0o700 | os.ModeDir,
		filepath.Join(dir, "runs", "x.db"): 0o600,
	} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode() != want {
			t.Errorf("mode of %s = %v, want %v", p, fi.Mode(), want)
		}
	}
}

func TestNameFor(t *testing.T) {
	for in, want := range map[string]string{
		"/mnt/share/demo": "mnt-share-demo",
		"/":               "root",
		"/a b/ü/c":        "a-b-c",
		"/srv/x.y_z":      "srv-x.y_z",
	} {
		if got := store.NameFor(in); got != want {
			t.Errorf("NameFor(%q) = %q, want %q", in, got, want)
		}
		if err := store.CheckName(store.NameFor(in)); err != nil {
			t.Errorf("CheckName(NameFor(%q)): %v", in, err)
		}
	}
}

func equal(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestTrimKeepsData(t *testing.T) {
	db := planned(t, 2000)
	if err := db.Trim(); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2000; i += 97 {
		b, err := db.Chunk(i)
		if err != nil || len(b) != 1 || b[0] != byte(i) {
			t.Fatalf("Chunk(%d) after Trim = %v, %v", i, b, err)
		}
	}
}

// TestOpenTruncated cuts a database short inside a large value, at many
// points: each open either refuses the file or reads the value whole. A
// value that ran past the end of the file would fault where it is read.
func TestOpenTruncated(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.db")
	db, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	value := make([]byte, 1<<20)
	for i := range value {
		value[i] = byte(i*31 + i>>9)
	}
	err = db.CreateRun(store.Run{Name: "t", State: store.Planned, Chunks: 1})
	if err == nil {
		err = db.PutChunks(0, [][]byte{value})
	}
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	whole, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	refused := 0
	for cut := 8192; cut < len(whole); cut += 24 << 10 {
		p := filepath.Join(t.TempDir(), "cut.db")
		if err := os.WriteFile(p, whole[:cut], 0o600); err != nil {
			t.Fatal(err)
		}
		db, err := store.Open(p, store.Options{ReadOnly: true})
		if err != nil {
			if !errors.Is(err, store.ErrNotDatabase) {
				t.Errorf("cut at %d: Open = %v, want ErrNotDatabase", cut, err)
			}
			refused++
			continue
		}
		got, err := db.Chunk(0)
		if err == nil && !bytes.Equal(got, value) {
			t.Errorf("cut at %d: the value came back changed", cut)
		}
		db.Close()
	}
	if refused == 0 {
		t.Errorf("no cut of a %d-byte file was refused", len(whole))
	}
}
