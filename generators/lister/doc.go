// Package lister writes the listers under pkg/generated/listers that
// k8s.io/code-generator's lister-gen writes, byte for byte, with aggen's
// own renderer (render.go): no gengo templates, no formatting pass. A
// package shape the renderer does not support (an internal version, tags
// lister-gen rejects, colliding file names) makes it run lister-gen
// itself, in process, as it does with generators.Options.Reference.
//
// Markers read (same meaning as lister-gen's): +genclient,
// +genclient:nonNamespaced, +genclient:skipVerbs, +genclient:onlyVerbs,
// +genclient:readonly (a lister needs list and get), +groupName, the
// package's lister-gen activation tag.
// A hand-written <kind>_expansion.go in the output package drops that
// kind's expansion interfaces, as with lister-gen.
//
// gofile.go holds what package informer's renderer shares: the file
// header, gengo's import naming, assembly of a final Go file, and the
// Unsupported error.
package lister
