package flower

// The handler of flowers/water as its user fills it in: the action changes
// the Flower through the store and answers with a FlowerWaterResult.

import (
	"context"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	genericregistry "k8s.io/apiserver/pkg/registry/generic/registry"
	"k8s.io/apiserver/pkg/registry/rest"

	plants "example.com/garden/pkg/apis/plants"
)

func handleWater(ctx context.Context, store *genericregistry.Store, name string, req *plants.FlowerWater, opts *metav1.CreateOptions) (*plants.FlowerWaterResult, error) {
	obj, err := store.Get(ctx, name, &metav1.GetOptions{})
	if err != nil {
		return nil, err
	}
	o := obj.(*plants.Flower).DeepCopy()
	o.Spec.Description = "watered: " + req.Reason
	updated, _, err := store.Update(ctx, name, rest.DefaultUpdatedObjectInfo(o), rest.ValidateAllObjectFunc, rest.ValidateAllObjectUpdateFunc, false, &metav1.UpdateOptions{DryRun: opts.DryRun})
	if err != nil {
		return nil, err
	}
	u := updated.(*plants.Flower)
	return &plants.FlowerWaterResult{
		ObjectMeta: metav1.ObjectMeta{Name: u.Name, Namespace: u.Namespace},
		Message:    u.Spec.Description,
	}, nil
}
