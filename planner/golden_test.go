package planner

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"testing"
)

// goldenIDs returns identities built from the profile alone, so that a
// plan with owners and access lists can be pinned without a directory.
func goldenIDs(prof *Profile) *Identities {
	ids := &Identities{Source: "golden", Departments: make(map[string]*DeptIDs),
		Admins: 900, Everyone: 901, Contractors: 902, Backup: 903,
		Former: []uint32{5001, 5002, 5003}}
	for i, f := range prof.Folders {
		d := &DeptIDs{Group: uint32(2000 + 10*i), ReadWrite: uint32(2001 + 10*i),
			ReadOnly: uint32(2002 + 10*i)}
		for j := range 4 {
			uid := uint32(10000 + 100*i + j)
			d.Members = append(d.Members, Member{
				Name: fmt.Sprintf("user%d.%d", i, j), UID: uid, GID: d.Group})
		}
		ids.Departments[f.Name] = d
	}
	return ids
}

// TestGoldenPlan pins a 100,000-file plan twice: the tree, hashed from
// the decoded chunks entry by entry, and the encoded bodies before they
// are compressed (the compressor's output may change with Go's release;
// the layout must not). A change to the planner that changes the tree
// changes both; a change of encoding alone changes only the second.
// Either must be deliberate, with the reason in the commit.
func TestGoldenPlan(t *testing.T) {
	tests := []struct {
		name   string
		owners bool   // plan with identities (owners and access lists)
		tree   string // sha256 of the decoded entries, in order
		bytes  string // sha256 of the encoded chunks, in order
	}{
		{"no owners", false, treeNoOwners, bytesNoOwners},
		{"owners", true, treeOwners, bytesOwners},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := testInputs(t, 100_000, 20260601)
			prof, err := Builtin(in.Profile)
			if err != nil {
				t.Fatal(err)
			}
			var ids *Identities
			if tt.owners {
				ids = goldenIDs(prof)
			}
			tree, bytes := sha256.New(), sha256.New()
			var buf []byte
			err = Generate(in, prof, ids, 4000, func(c *Chunk) error {
				buf = c.Encode(buf[:0])
				bytes.Write(body(t, buf))
				d, err := DecodeChunk(buf)
				if err != nil {
					return err
				}
				hashTree(tree, d)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if got := hex.EncodeToString(tree.Sum(nil)); got != tt.tree {
				t.Errorf("tree hash = %s, want %s", got, tt.tree)
			}
			if got := hex.EncodeToString(bytes.Sum(nil)); got != tt.bytes {
				t.Errorf("encoding hash = %s, want %s", got, tt.bytes)
			}
		})
	}
}

// body returns the uncompressed body of an encoded chunk.
func body(t testing.TB, b []byte) []byte {
	t.Helper()
	if len(b) == 0 || b[0] != chunkV2 {
		t.Fatalf("chunk of version %v, want %d", b[:min(1, len(b))], chunkV2)
	}
	body, err := new(coder).inflate(b[1:])
	if err != nil {
		t.Fatal(err)
	}
	return body
}

// hashTree writes every folder and file of c, with all their attributes,
// to w in a fixed text form.
func hashTree(w io.Writer, c *Chunk) {
	for i := range c.Dirs {
		d := &c.Dirs[i]
		fmt.Fprintf(w, "d %q %x %d %d %t %+v %d %d\n",
			d.Path, d.Key, d.First, d.Files, d.Final, d.Attrs, d.Mtime, d.Atime)
	}
	for i := range c.Files {
		f := &c.Files[i]
		fmt.Fprintf(w, "f %q %d %d %d %d %+v\n",
			c.FilePath(i), f.Size, f.Mtime, f.Atime, f.Ctime, f.Attrs)
	}
}

const (
	treeNoOwners  = "0e9f554523b0067ea74e968bfdcf7a9b4525c58134d49055a554ce859255f150"
	bytesNoOwners = "52aefc4c093d2a52e67176717f266aac406d669d6f98ace7b38637cae964372f"
	treeOwners    = "c7d1fae6ab79476c8d4cb5de5a7c0f54e195ed9f24310e42af998e626ab60fdf"
	bytesOwners   = "f5cfa6d13b7e653e913a884866e9b827ced52e7b19fa91dc15c1e4a08078814b"
)
