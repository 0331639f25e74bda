package insects

// The generated server's shared informers (zz_generated.informers.go) read
// the storage of its own kinds in process, convert to the informer's
// version and start only when read. These tests run the example's
// generated Informers against storages that record what they are asked.

import (
	"context"
	"sync"
	"testing"
	"time"

	metainternalversion "k8s.io/apimachinery/pkg/apis/meta/internalversion"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/tools/cache"

	insects "github.com/aggen-dev/aggen/examples/insects/pkg/apis/insects"
	insectsv1alpha1 "github.com/aggen-dev/aggen/examples/insects/pkg/apis/insects/v1alpha1"
	insectsv1beta1 "github.com/aggen-dev/aggen/examples/insects/pkg/apis/insects/v1beta1"
	"github.com/aggen-dev/aggen/examples/insects/pkg/apiserver"
)

// recordingStorage serves internal objects to List and Watch and counts
// the calls.
type recordingStorage struct {
	list func() runtime.Object

	mu      sync.Mutex
	lists   int
	watches []*watch.FakeWatcher
}

func (s *recordingStorage) New() runtime.Object { return &insects.Bee{} }

func (s *recordingStorage) Destroy() {}

func (s *recordingStorage) NewList() runtime.Object { return s.list() }

func (s *recordingStorage) List(ctx context.Context, _ *metainternalversion.ListOptions) (runtime.Object, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lists++
	return s.list(), nil
}

func (s *recordingStorage) ConvertToTable(context.Context, runtime.Object, runtime.Object) (*metav1.Table, error) {
	return &metav1.Table{}, nil
}

func (s *recordingStorage) Watch(ctx context.Context, _ *metainternalversion.ListOptions) (watch.Interface, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	w := watch.NewFake()
	s.watches = append(s.watches, w)
	return w, nil
}

func (s *recordingStorage) calls() (lists, watches int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.lists, len(s.watches)
}

// lastWatch waits for the informer's watch.
func (s *recordingStorage) lastWatch(t *testing.T) *watch.FakeWatcher {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		s.mu.Lock()
		n := len(s.watches)
		var w *watch.FakeWatcher
		if n > 0 {
			w = s.watches[n-1]
		}
		s.mu.Unlock()
		if w != nil {
			return w
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("the informer never watched the storage")
	return nil
}

func internalBee(name string, replicas int32) *insects.Bee {
	return &insects.Bee{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "meadow", ResourceVersion: "7"},
		Spec:       insects.BeeSpec{Replicas: ptr(replicas), Description: name + " in the internal version"},
	}
}

func TestInformersReadTheStorageInProcess(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	scheme := apiserver.NewScheme()
	bees := &recordingStorage{list: func() runtime.Object {
		return &insects.BeeList{ListMeta: metav1.ListMeta{ResourceVersion: "7"}, Items: []insects.Bee{*internalBee("worker", 3)}}
	}}
	hives := &recordingStorage{list: func() runtime.Object { return &insects.HiveList{} }}
	// No client: a request through the loopback connection would panic.
	f := apiserver.NewInformers(scheme, nil, 0)
	f.Serve(insects.Kind("Bee"), bees)
	f.Serve(insects.Kind("Hive"), hives)
	f.Start(ctx.Done())

	// Started, but nobody reads yet: no list, no watch.
	time.Sleep(300 * time.Millisecond)
	if l, w := bees.calls(); l != 0 || w != 0 {
		t.Fatalf("before anyone reads Bees: %d lists and %d watches of the storage, want none", l, w)
	}

	informer := f.Insects().V1beta1().Bees()
	lister := informer.Lister()
	if !cache.WaitForCacheSync(ctx.Done(), informer.Informer().HasSynced) {
		t.Fatal("the Bee informer never synced")
	}
	got, err := lister.Bees("meadow").Get("worker")
	if err != nil {
		t.Fatal(err)
	}
	if got.Spec.Replicas == nil || *got.Spec.Replicas != 3 || got.Spec.Description != "worker in the internal version" {
		t.Errorf("listed Bee in v1beta1: %+v", got.Spec)
	}

	// A watch event arrives in the informer's version.
	bees.lastWatch(t).Add(internalBee("drone", 5))
	deadline := time.Now().Add(10 * time.Second)
	for {
		drone, err := lister.Bees("meadow").Get("drone")
		if err == nil {
			if drone.Spec.Replicas == nil || *drone.Spec.Replicas != 5 {
				t.Errorf("watched Bee in v1beta1: %+v", drone.Spec)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the watched Bee never reached the lister: %v", err)
		}
		time.Sleep(10 * time.Millisecond)
	}

	// The generic informer of the resource is the same in-process one: it
	// holds both Bees without listing the storage again.
	lists, _ := bees.calls()
	generic, err := f.ForResource(insectsv1beta1.SchemeGroupVersion.WithResource("bees"))
	if err != nil {
		t.Fatal(err)
	}
	if all, err := generic.Lister().List(labels.Everything()); err != nil || len(all) != 2 {
		t.Errorf("ForResource(bees) lists %d objects (%v), want 2", len(all), err)
	}
	if again, _ := bees.calls(); again != lists {
		t.Errorf("ForResource(bees) listed the storage again: %d lists, want %d", again, lists)
	}
	// The informer of another version is another one, converted to that
	// version.
	alpha := f.Insects().V1alpha1().Bees()
	if !cache.WaitForCacheSync(ctx.Done(), alpha.Informer().HasSynced) {
		t.Fatal("the v1alpha1 Bee informer never synced")
	}
	objs := alpha.Informer().GetStore().List()
	if len(objs) != 1 {
		t.Fatalf("v1alpha1 informer holds %d objects, want 1 (the storage's list)", len(objs))
	}
	if _, ok := objs[0].(*insectsv1alpha1.Bee); !ok {
		t.Errorf("v1alpha1 informer holds a %T", objs[0])
	}

	// Hives were never read: their informer never touched the storage.
	if l, w := hives.calls(); l != 0 || w != 0 {
		t.Errorf("Hives, never read: %d lists and %d watches of the storage, want none", l, w)
	}
}

func TestInformersWaitForTheStorage(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	f := apiserver.NewInformers(apiserver.NewScheme(), nil, 0)
	f.Start(ctx.Done())
	informer := f.Insects().V1beta1().Hives().Informer()
	// Read before New installed the storage: not synced, and no panic.
	time.Sleep(300 * time.Millisecond)
	if informer.HasSynced() {
		t.Fatal("synced without a storage")
	}
	hives := &recordingStorage{list: func() runtime.Object {
		return &insects.HiveList{Items: []insects.Hive{{ObjectMeta: metav1.ObjectMeta{Name: "orchard"}}}}
	}}
	f.Serve(insects.Kind("Hive"), hives)
	syncCtx, syncCancel := context.WithTimeout(ctx, 30*time.Second)
	defer syncCancel()
	if !cache.WaitForCacheSync(syncCtx.Done(), informer.HasSynced) {
		t.Fatal("the Hive informer never synced once the storage was installed")
	}
	if n := len(informer.GetStore().List()); n != 1 {
		t.Errorf("Hive informer holds %d objects, want 1", n)
	}
}
