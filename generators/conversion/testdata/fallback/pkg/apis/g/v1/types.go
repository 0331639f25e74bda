package v1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Thing holds a value of any type: conversion-gen writes a FIXME for it,
// which aggen's renderer leaves to conversion-gen.
type Thing struct {
	metav1.TypeMeta `json:",inline"`

	Name  string      `json:"name"`
	Size  int32       `json:"size"`
	Value interface{} `json:"value"`
}
