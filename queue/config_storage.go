package queue

import "fmt"

// StorageConfig is the optional [storage] table: when /healthz calls the SD card nearly
// full.
type StorageConfig struct {
	// MinFreeMB is the free space, in MiB, on the data folder's file system below which
	// /healthz answers 503 (default DefaultMinFree, 64).
	MinFreeMB int `toml:"min_free_mb"`
}

// MinFree is the threshold in bytes, for StoreOptions.MinFree.
func (s StorageConfig) MinFree() int64 { return int64(s.MinFreeMB) << 20 }

// checkStorage checks the [storage] table and fills in its default.
func (c *Config) checkStorage(v *validator) {
	switch s := &c.Storage; {
	case s.MinFreeMB == 0:
		s.MinFreeMB = DefaultMinFree >> 20
	case s.MinFreeMB < 0:
		v.add("storage.min_free_mb", fmt.Sprintf("%d tidak valid: ruang kosong minimum dalam MB, misalnya 64", s.MinFreeMB))
	}
}
