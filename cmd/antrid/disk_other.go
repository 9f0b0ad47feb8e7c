//go:build !linux

package main

// diskSpace is unknown outside Linux: the appliance runs on Linux.
func diskSpace(string) (free, total int64, ok bool) { return 0, 0, false }
