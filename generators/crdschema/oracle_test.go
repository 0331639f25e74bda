package crdschema

import (
	"path/filepath"
	"testing"

	"github.com/aggen-dev/aggen/generators/loader"
)

func TestOracleOnExample(t *testing.T) {
	if testing.Short() {
		t.Skip("loads packages from source")
	}
	dir := filepath.Join("..", "..", "examples", "insects")
	p, err := loader.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := FillFromOracle(dir, p); err != nil {
		t.Fatal(err)
	}
	bee := p.Group("insects").Version("v1beta1").Kind("Bee")
	replicas := bee.Schema.Properties["spec"].Properties["replicas"]
	if replicas.Minimum == nil || *replicas.Minimum != 0 || replicas.Default == nil || string(replicas.Default.Raw) != "1" {
		t.Errorf("spec.replicas = %+v, want minimum 0 and default 1", replicas)
	}
	conditions := bee.Schema.Properties["status"].Properties["conditions"]
	if conditions.XListType == nil || *conditions.XListType != "map" {
		t.Errorf("status.conditions list type = %v, want map", conditions.XListType)
	}
	if got := bee.Schema.Properties["metadata"].Type; got != "object" {
		t.Errorf("metadata type = %q, want object", got)
	}
}
