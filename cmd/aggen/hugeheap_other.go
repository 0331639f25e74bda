//go:build !linux

package main

// adviseHugeHeap is Linux's only.
func adviseHugeHeap() {}
