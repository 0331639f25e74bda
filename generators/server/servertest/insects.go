// Package servertest builds the example model that the tests of the server,
// registry and controller generators render: module
// github.com/acme/insects, group insects.example.com with Bee (namespaced,
// status, scale, served as v1alpha1 and v1beta1, stored as v1beta1) and
// Hive (cluster-scoped, v1beta1, with the custom subresources census, a
// getter, inspect, an action, and log, a connect) and Swarm (namespaced,
// v1beta1, computed and read only: +aggen:computed).
package servertest

import (
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"

	"github.com/aggen-dev/aggen/generators/model"
)

func ptr[T any](v T) *T { return &v }

func str(s string) model.FieldType { return model.FieldType{Expr: "string", Basic: "string"} }

func beeTypes(version string, storage bool) (*model.Kind, []*model.Type) {
	dir := "pkg/apis/insects/" + version
	file := dir + "/bee_types.go"
	spec := &model.Type{Name: "BeeSpec", Kind: model.StructType, Pos: model.Position{File: file, Line: 5}, Fields: []*model.Field{
		{GoName: "Color", JSONName: "color", Type: str("string"), Optional: true, Default: ptr("yellow"),
			Validation: model.Validation{Enum: []string{"yellow", "black", "orange"}}},
		{GoName: "Replicas", JSONName: "replicas", Optional: true, Default: ptr("1"),
			Type:       model.FieldType{Expr: "*int32", Pointer: true, Basic: "int32", Elem: &model.FieldType{Expr: "int32", Basic: "int32"}},
			Validation: model.Validation{Minimum: ptr(0.0), Maximum: ptr(100.0)}},
		{GoName: "Hive", JSONName: "hive", Type: str("string"), Required: true,
			Validation: model.Validation{MinLength: ptr(int64(2)), MaxLength: ptr(int64(20)), Pattern: `^[a-z][a-z0-9-]*$`}},
		{GoName: "Flowers", JSONName: "flowers", Optional: true,
			Type:       model.FieldType{Expr: "[]string", Slice: true, Elem: &model.FieldType{Expr: "string", Basic: "string"}},
			Validation: model.Validation{MaxItems: ptr(int64(3))}},
	}}
	status := &model.Type{Name: "BeeStatus", Kind: model.StructType, Fields: []*model.Field{
		{GoName: "Replicas", JSONName: "replicas", Optional: true, Type: model.FieldType{Expr: "int32", Basic: "int32"}},
		{GoName: "Selector", JSONName: "selector", Optional: true, Type: str("string")},
		{GoName: "ObservedGeneration", JSONName: "observedGeneration", Optional: true, Type: model.FieldType{Expr: "int64", Basic: "int64"}},
		{GoName: "Conditions", JSONName: "conditions", Optional: true, Type: model.FieldType{Expr: "[]metav1.Condition", Slice: true,
			Elem: &model.FieldType{Expr: "metav1.Condition", Package: "k8s.io/apimachinery/pkg/apis/meta/v1", Name: "Condition"}}},
	}}
	root := &model.Type{Name: "Bee", Kind: model.StructType, Fields: rootFields("Bee")}
	list := &model.Type{Name: "BeeList", Kind: model.StructType}
	k := &model.Kind{
		Name: "Bee", ListName: "BeeList", Group: "insects", Version: version,
		Plural: "bees", Singular: "bee", ShortNames: []string{"bz"}, Categories: []string{"insects"},
		Namespaced: true, Status: true, StorageVersion: storage,
		Scale: &model.Scale{SpecReplicasPath: ".spec.replicas", StatusReplicasPath: ".status.replicas", LabelSelectorPath: ".status.selector"},
		PrintColumns: []model.PrintColumn{
			{Name: "Color", Type: "string", JSONPath: ".spec.color"},
			{Name: "Replicas", Type: "integer", JSONPath: ".spec.replicas"},
			{Name: "Ready", Type: "string", JSONPath: `.status.conditions[?(@.type=="Ready")].status`, Priority: 1},
		},
		SelectableFields: []model.SelectableField{{JSONPath: ".spec.color", FieldLabel: "spec.color", GoPath: []string{"Spec", "Color"}, Leaf: spec.Fields[0]}},
		Type:             root,
		Pos:              model.Position{File: file, Line: 40, Column: 1},
		Schema: object(map[string]apiextensionsv1.JSONSchemaProps{
			"spec": *object(map[string]apiextensionsv1.JSONSchemaProps{
				"color":    {Type: "string", Default: raw(`"yellow"`), Enum: []apiextensionsv1.JSON{*raw(`"yellow"`), *raw(`"black"`), *raw(`"orange"`)}},
				"replicas": {Type: "integer", Format: "int32", Default: raw("1"), Minimum: ptr(0.0), Maximum: ptr(100.0)},
				"hive": {Type: "string", MinLength: ptr(int64(2)), MaxLength: ptr(int64(20)), Pattern: `^[a-z][a-z0-9-]*$`,
					XValidations: apiextensionsv1.ValidationRules{{Rule: "self == oldSelf", Message: "a `hive` is for life"}}},
				"flowers": {Type: "array", MaxItems: ptr(int64(3)), Items: &apiextensionsv1.JSONSchemaPropsOrArray{Schema: &apiextensionsv1.JSONSchemaProps{Type: "string"}}},
			}, "hive"),
			"status": *object(map[string]apiextensionsv1.JSONSchemaProps{
				"replicas":           {Type: "integer", Format: "int32"},
				"selector":           {Type: "string"},
				"observedGeneration": {Type: "integer", Format: "int64"},
				"conditions":         conditions(),
			}),
		}),
	}
	return k, []*model.Type{root, list, spec, status}
}

func rootFields(kind string) []*model.Field {
	return []*model.Field{
		{GoName: "TypeMeta", Inline: true, Embedded: true, Type: model.FieldType{Expr: "metav1.TypeMeta", Package: "k8s.io/apimachinery/pkg/apis/meta/v1", Name: "TypeMeta"}},
		{GoName: "ObjectMeta", JSONName: "metadata", Embedded: true, Optional: true, Type: model.FieldType{Expr: "metav1.ObjectMeta", Package: "k8s.io/apimachinery/pkg/apis/meta/v1", Name: "ObjectMeta"}},
		{GoName: "Spec", JSONName: "spec", Optional: true, Type: model.FieldType{Expr: kind + "Spec", Local: kind + "Spec"}},
		{GoName: "Status", JSONName: "status", Optional: true, Type: model.FieldType{Expr: kind + "Status", Local: kind + "Status"}},
	}
}

func hiveTypes() (*model.Kind, []*model.Type) {
	spec := &model.Type{Name: "HiveSpec", Kind: model.StructType, Fields: []*model.Field{
		{GoName: "Capacity", JSONName: "capacity", Optional: true, Type: model.FieldType{Expr: "int64", Basic: "int64"},
			Validation: model.Validation{Minimum: ptr(1.0), Maximum: ptr(10000.0), ExclusiveMaximum: true}},
		{GoName: "Location", JSONName: "location", Optional: true, Type: str("string"), Validation: model.Validation{Format: "hostname"}},
	}}
	status := &model.Type{Name: "HiveStatus", Kind: model.StructType, Fields: []*model.Field{
		{GoName: "ObservedGeneration", JSONName: "observedGeneration", Optional: true, Type: model.FieldType{Expr: "int64", Basic: "int64"}},
		{GoName: "Conditions", JSONName: "conditions", Optional: true, Type: model.FieldType{Expr: "[]metav1.Condition", Slice: true,
			Elem: &model.FieldType{Expr: "metav1.Condition", Package: "k8s.io/apimachinery/pkg/apis/meta/v1", Name: "Condition"}}},
	}}
	root := &model.Type{Name: "Hive", Kind: model.StructType, Fields: rootFields("Hive")}
	list := &model.Type{Name: "HiveList", Kind: model.StructType}
	meta := rootFields("")[:2]
	inspection := &model.Type{Name: "HiveInspection", Kind: model.StructType, Fields: append(meta[:1:1],
		&model.Field{GoName: "Reason", JSONName: "reason", Optional: true, Type: str("string")})}
	report := &model.Type{Name: "HiveReport", Kind: model.StructType, Fields: append(meta[:2:2],
		&model.Field{GoName: "Message", JSONName: "message", Optional: true, Type: str("string")})}
	census := &model.Type{Name: "HiveCensus", Kind: model.StructType, Fields: append(meta[:1:1],
		&model.Field{GoName: "Bees", JSONName: "bees", Optional: true, Type: model.FieldType{Expr: "int64", Basic: "int64"}})}
	logOptions := &model.Type{Name: "HiveLogOptions", Kind: model.StructType, Fields: append(meta[:1:1],
		&model.Field{GoName: "Follow", JSONName: "follow", Optional: true, Type: model.FieldType{Expr: "bool", Basic: "bool"}})}
	file := "pkg/apis/insects/v1beta1/hive_types.go"
	k := &model.Kind{
		Name: "Hive", ListName: "HiveList", Group: "insects", Version: "v1beta1",
		Plural: "hives", Singular: "hive", Status: true, StorageVersion: true,
		PrintColumns: []model.PrintColumn{{Name: "Capacity", Type: "integer", JSONPath: ".spec.capacity"}},
		Subresources: []*model.Subresource{
			{Name: "census", Type: model.GetterSubresource, Response: "HiveCensus", Pos: model.Position{File: file, Line: 27, Column: 4}},
			{Name: "inspect", Type: model.ActionSubresource, Request: "HiveInspection", Response: "HiveReport", Pos: model.Position{File: file, Line: 28, Column: 4}},
			{Name: "log", Type: model.ConnectSubresource, Options: "HiveLogOptions", Pos: model.Position{File: file, Line: 29, Column: 4}},
		},
		Type: root,
		Pos:  model.Position{File: file, Line: 30, Column: 1},
		Schema: object(map[string]apiextensionsv1.JSONSchemaProps{
			"spec": *object(map[string]apiextensionsv1.JSONSchemaProps{
				"capacity": {Type: "integer", Format: "int64", Minimum: ptr(1.0), Maximum: ptr(10000.0), ExclusiveMaximum: true},
				"location": {Type: "string", Format: "hostname"},
			}),
			"status": *object(map[string]apiextensionsv1.JSONSchemaProps{
				"observedGeneration": {Type: "integer", Format: "int64"},
				"conditions":         conditions(),
			}),
		}),
	}
	return k, []*model.Type{root, list, spec, status, inspection, report, census, logOptions}
}

// swarmTypes is a computed kind: its objects are made by a source the
// user writes, never stored.
func swarmTypes() (*model.Kind, []*model.Type) {
	file := "pkg/apis/insects/v1beta1/swarm_types.go"
	bees := &model.Field{GoName: "Bees", JSONName: "bees", Optional: true, Type: model.FieldType{Expr: "int32", Basic: "int32"}}
	queen := &model.Field{GoName: "Queen", JSONName: "queen", Optional: true, Type: str("string")}
	root := &model.Type{Name: "Swarm", Kind: model.StructType, Fields: append(rootFields("")[:2:2], bees, queen)}
	list := &model.Type{Name: "SwarmList", Kind: model.StructType}
	k := &model.Kind{
		Name: "Swarm", ListName: "SwarmList", Group: "insects", Version: "v1beta1",
		Plural: "swarms", Singular: "swarm", ShortNames: []string{"sw"}, Namespaced: true, StorageVersion: true, Computed: true,
		PrintColumns:     []model.PrintColumn{{Name: "Bees", Type: "integer", JSONPath: ".bees"}},
		SelectableFields: []model.SelectableField{{JSONPath: ".queen", FieldLabel: "queen", GoPath: []string{"Queen"}, Leaf: queen}},
		Type:             root,
		Pos:              model.Position{File: file, Line: 12, Column: 1},
		Schema: object(map[string]apiextensionsv1.JSONSchemaProps{
			"apiVersion": {Type: "string"},
			"kind":       {Type: "string"},
			"metadata":   {Type: "object"},
			"bees":       {Type: "integer", Format: "int32"},
			"queen":      {Type: "string"},
		}),
	}
	return k, []*model.Type{root, list}
}

func raw(s string) *apiextensionsv1.JSON { return &apiextensionsv1.JSON{Raw: []byte(s)} }

// object is the schema of a root or struct: a root gets the schema of
// apiVersion, kind and metadata that CRDs carry.
func object(props map[string]apiextensionsv1.JSONSchemaProps, required ...string) *apiextensionsv1.JSONSchemaProps {
	if _, root := props["spec"]; root {
		props["apiVersion"] = apiextensionsv1.JSONSchemaProps{Type: "string"}
		props["kind"] = apiextensionsv1.JSONSchemaProps{Type: "string"}
		props["metadata"] = apiextensionsv1.JSONSchemaProps{Type: "object"}
	}
	return &apiextensionsv1.JSONSchemaProps{Type: "object", Properties: props, Required: required}
}

// conditions is the schema controller-gen gives []metav1.Condition as a
// +listType=map list keyed by type (abridged).
func conditions() apiextensionsv1.JSONSchemaProps {
	item := object(map[string]apiextensionsv1.JSONSchemaProps{
		"type":               {Type: "string", MaxLength: ptr(int64(316))},
		"status":             {Type: "string", Enum: []apiextensionsv1.JSON{*raw(`"True"`), *raw(`"False"`), *raw(`"Unknown"`)}},
		"reason":             {Type: "string", MinLength: ptr(int64(1))},
		"message":            {Type: "string", MaxLength: ptr(int64(32768))},
		"lastTransitionTime": {Type: "string", Format: "date-time"},
	}, "lastTransitionTime", "message", "reason", "status", "type")
	return apiextensionsv1.JSONSchemaProps{Type: "array", Items: &apiextensionsv1.JSONSchemaPropsOrArray{Schema: item},
		XListType: ptr("map"), XListMapKeys: []string{"type"}}
}

// Insects returns a fresh copy of the example project.
func Insects() *model.Project {
	beeA, typesA := beeTypes("v1alpha1", false)
	beeB, typesB := beeTypes("v1beta1", true)
	hive, hiveT := hiveTypes()
	typesB = append(typesB, hiveT...)
	swarm, swarmT := swarmTypes()
	typesB = append(typesB, swarmT...)
	sortTypes(typesA)
	sortTypes(typesB)
	v1beta1 := &model.Version{Name: "v1beta1", Package: "github.com/acme/insects/pkg/apis/insects/v1beta1", Dir: "pkg/apis/insects/v1beta1",
		Kinds: []*model.Kind{beeB, hive, swarm}, Types: typesB}
	v1alpha1 := &model.Version{Name: "v1alpha1", Package: "github.com/acme/insects/pkg/apis/insects/v1alpha1", Dir: "pkg/apis/insects/v1alpha1",
		Kinds: []*model.Kind{beeA}, Types: typesA}
	g := &model.Group{Name: "insects", GroupName: "insects.example.com", Package: "github.com/acme/insects/pkg/apis/insects", Dir: "pkg/apis/insects",
		Versions: []*model.Version{v1beta1, v1alpha1}, Kinds: []*model.Kind{beeB, hive, swarm}}
	return &model.Project{
		Module: "github.com/acme/insects", Domain: "example.com", Name: "insects", Namespace: "insects-system",
		Image: "example.com/insects:latest", Owner: "Acme", KubernetesVersion: "v0.37.2",
		Boilerplate: "/*\nCopyright 2026 Acme.\n*/\n",
		Groups:      []*model.Group{g},
	}
}

func sortTypes(ts []*model.Type) {
	for i := 1; i < len(ts); i++ {
		for j := i; j > 0 && ts[j].Name < ts[j-1].Name; j-- {
			ts[j], ts[j-1] = ts[j-1], ts[j]
		}
	}
}
