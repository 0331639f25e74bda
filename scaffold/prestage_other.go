//go:build !linux

package scaffold

// stagesLikeTree is false where it is not known: on BSD-derived systems a
// new file takes its directory's group, so a file made elsewhere and
// renamed into the tree would not be the same. Nothing is prestaged.
func stagesLikeTree(tmp, root string) bool { return false }
