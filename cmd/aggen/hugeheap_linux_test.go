package main

import (
	"bufio"
	"bytes"
	"os"
	"strconv"
	"strings"
	"testing"
)

// TestAdviseHugeHeap: after adviseHugeHeap the process has a mapping of
// at least most of hugeHeapBytes that Linux may back with huge pages
// (VmFlags "hg" in /proc/self/smaps), wherever the system leaves huge
// pages to madvise.
func TestAdviseHugeHeap(t *testing.T) {
	thp, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/enabled")
	if err != nil || !bytes.Contains(thp, []byte("[madvise]")) {
		t.Skipf("transparent huge pages are not left to madvise here (%q, %v)", thp, err)
	}
	if advised(t) >= hugeHeapBytes/2 {
		t.Fatal("the test process has huge-page advice before adviseHugeHeap")
	}
	adviseHugeHeap()
	if got := advised(t); got < hugeHeapBytes-2*hugePageBytes {
		t.Errorf("%d bytes advised for huge pages, want about %d", got, hugeHeapBytes)
	}
}

// advised sums the sizes of the mappings with huge-page advice.
func advised(t *testing.T) int {
	t.Helper()
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		t.Skip(err)
	}
	defer f.Close()
	total, size := 0, 0
	s := bufio.NewScanner(f)
	for s.Scan() {
		fields := strings.Fields(s.Text())
		switch {
		case len(fields) >= 2 && fields[0] == "Size:":
			kb, _ := strconv.Atoi(fields[1])
			size = kb << 10
		case len(fields) >= 1 && fields[0] == "VmFlags:":
			for _, flag := range fields[1:] {
				if flag == "hg" {
					total += size
				}
			}
		}
	}
	if err := s.Err(); err != nil {
		t.Fatal(err)
	}
	return total
}
