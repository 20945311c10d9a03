package directory

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// DefaultTTL is how long a cached snapshot is used, the toolkit's five
// minutes.
const DefaultTTL = 5 * time.Minute

type cached struct {
	src  Source
	path string
	ttl  time.Duration
	mu   sync.Mutex
	now  func() time.Time
}

// Cached returns a source that serves the snapshot stored at path while
// it is younger than ttl (DefaultTTL when ttl is 0), and otherwise loads
// src and stores the result, mode 0600, replacing the file atomically.
// A file that cannot be read or parsed is treated as absent. The file
// holds what a Snapshot holds and never a password. The source is safe
// for concurrent use; concurrent loads in one process are serialized.
func Cached(src Source, path string, ttl time.Duration) Source {
	if ttl <= 0 {
		ttl = DefaultTTL
	}
	return &cached{src: src, path: path, ttl: ttl, now: time.Now}
}

// Load returns the cached snapshot or a fresh one. A fresh snapshot
// whose store fails is still returned, with the error.
func (c *cached) Load(ctx context.Context) (*Snapshot, error) {
	c.mu.Lock()
	defer c.mu.Unlock()

	if s, err := readSnapshot(c.path); err == nil {
		age := c.now().Sub(s.Loaded)
		if age >= 0 && age < c.ttl {
			return s, nil
		}
	}
	s, err := c.src.Load(ctx)
	if err != nil {
		return nil, err
	}
	if err := writeSnapshot(c.path, s); err != nil {
		return s, err
	}
	return s, nil
}

func readSnapshot(path string) (*Snapshot, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var s Snapshot
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("%w: cache %s: %v", ErrFormat, path, err)
	}
	return &s, nil
}

func writeSnapshot(path string, s *Snapshot) error {
	b, err := json.Marshal(s)
	if err != nil {
		return fmt.Errorf("directory: cannot encode cache: %w", err)
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("directory: cannot write cache: %w", err)
	}
	f, err := os.CreateTemp(dir, ".directory-cache-*")
	if err != nil {
		return fmt.Errorf("directory: cannot write cache: %w", err)
	}
	// CreateTemp makes the file 0600 already; say so for the reader.
	err = errors.Join(f.Chmod(0o600), write(f, b), f.Close())
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("directory: cannot write cache %s: %w", path, err)
	}
	return nil
}

func write(f *os.File, b []byte) error {
	if _, err := f.Write(b); err != nil {
		return err
	}
	return f.Sync()
}

// Invalidate removes the cache file at path; a missing file is not an
// error.
func Invalidate(path string) error {
	err := os.Remove(path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("directory: cannot remove cache: %w", err)
	}
	return nil
}
