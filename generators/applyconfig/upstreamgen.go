package applyconfig

import (
	"reflect"
	"unsafe"

	clientgentypes "k8s.io/code-generator/cmd/client-gen/types"
	"k8s.io/gengo/v2/generator"
	"k8s.io/gengo/v2/types"
)

// perType is what applyconfiguration-gen decided for one apply
// configuration file: the type, where its apply configuration goes, the
// apply configuration of every type it may reference and the OpenAPI
// name its Extract functions use. aggen does not decide any of it: it
// reads it from the generator upstream's GetTargets made for the file.
type perType struct {
	// outPkgBase is the apply configurations' root package, localPkg the
	// file's own package.
	outPkgBase, localPkg string
	gv                   clientgentypes.GroupVersion
	// typ is the API type, applyConfiguration its apply configuration.
	typ, applyConfiguration *types.Type
	// refs maps every type that has an apply configuration to its package.
	refs        map[types.Name]string
	openAPIType *string
	filename    string
}

// upstreamGenerator is the name of applyconfiguration-gen's (unexported)
// generator type for the per-type files.
const upstreamGenerator = "applyConfigurationGenerator"

// isPerType tells upstream's per-type generators from the others.
func isPerType(g generator.Generator) bool {
	t := reflect.TypeOf(g)
	return t != nil && t.Kind() == reflect.Pointer && t.Elem().Name() == upstreamGenerator
}

// readPerType reads the decisions out of one of upstream's per-type
// generators. It reports false for any other generator, or when the
// generator's fields are not the ones this version of aggen knows (a
// newer code-generator): the caller then leaves the file to upstream.
func readPerType(g generator.Generator) (perType, bool) {
	v := reflect.ValueOf(g)
	if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct || v.Elem().Type().Name() != upstreamGenerator {
		return perType{}, false
	}
	e := v.Elem()
	field := func(name string, want reflect.Type) (reflect.Value, bool) {
		f := e.FieldByName(name)
		if !f.IsValid() || f.Type() != want && !(want.Kind() == reflect.Map && f.Type().ConvertibleTo(want)) {
			return reflect.Value{}, false
		}
		// The fields are unexported: read them through their address.
		return reflect.NewAt(f.Type(), unsafe.Pointer(f.UnsafeAddr())).Elem(), true
	}
	var p perType
	ok := true
	str := func(name string) string {
		f, found := field(name, reflect.TypeOf(""))
		if !found {
			ok = false
			return ""
		}
		return f.String()
	}
	p.outPkgBase, p.localPkg = str("outPkgBase"), str("localPkg")
	if f, found := field("groupVersion", reflect.TypeOf(clientgentypes.GroupVersion{})); found {
		p.gv = f.Interface().(clientgentypes.GroupVersion)
	} else {
		ok = false
	}
	if f, found := field("refGraph", reflect.TypeOf(map[types.Name]string{})); found {
		p.refs = f.Convert(reflect.TypeOf(map[types.Name]string{})).Interface().(map[types.Name]string)
	} else {
		ok = false
	}
	if f, found := field("openAPIType", reflect.TypeOf((*string)(nil))); found {
		p.openAPIType = f.Interface().(*string)
	} else {
		ok = false
	}
	ac := e.FieldByName("applyConfig")
	if !ok || !ac.IsValid() || ac.Kind() != reflect.Struct {
		return perType{}, false
	}
	ac = reflect.NewAt(ac.Type(), unsafe.Pointer(ac.UnsafeAddr())).Elem()
	typ, app := ac.FieldByName("Type"), ac.FieldByName("ApplyConfiguration")
	tt := reflect.TypeOf((*types.Type)(nil))
	if !typ.IsValid() || !app.IsValid() || typ.Type() != tt || app.Type() != tt {
		return perType{}, false
	}
	p.typ, p.applyConfiguration = typ.Interface().(*types.Type), app.Interface().(*types.Type)
	if p.typ == nil || p.applyConfiguration == nil {
		return perType{}, false
	}
	p.filename = g.Filename()
	return p, true
}
