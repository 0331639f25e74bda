package v1

// Thing holds a value of any type: conversion-gen writes a FIXME for it,
// which aggen's renderer leaves to conversion-gen.
type Thing struct {
	Name  string      `json:"name"`
	Size  int32       `json:"size"`
	Value interface{} `json:"value"`
}
