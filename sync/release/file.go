package release

import (
	"os"
	"path/filepath"
)

// WriteFile replaces the file at path with data so that a reader — or the file after
// a power cut — has either the old content or the new, never a part: it writes a
// temporary file beside it, syncs it, renames it over path and syncs the folder.
// Headquarters' release store and the office's updater keep their state this way.
func WriteFile(path string, data []byte, perm os.FileMode) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // after the rename there is nothing left to remove
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(perm); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return Rename(tmp.Name(), path)
}

// Rename renames oldpath to newpath (atomic within a file system: a symbolic link
// renamed over another replaces it in one step) and syncs newpath's folder, so the
// rename survives a power cut.
func Rename(oldpath, newpath string) error {
	if err := os.Rename(oldpath, newpath); err != nil {
		return err
	}
	return SyncDir(filepath.Dir(newpath))
}

// SyncDir flushes a folder's entries (a file created, renamed or removed in it) to
// the disk.
func SyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
