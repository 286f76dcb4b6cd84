// composecheck loads a Compose file the way `docker compose config` does (compose-go: the
// Compose Specification schema, interpolation, normalisation, consistency checks) without a
// Docker engine or the compose CLI plugin, and prints the resolved services.
// Usage: composecheck FILE...
package main

import (
	"context"
	"fmt"
	"os"
	"sort"

	"github.com/compose-spec/compose-go/v2/cli"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: composecheck FILE...")
		os.Exit(2)
	}
	opts, err := cli.NewProjectOptions(os.Args[1:], cli.WithOsEnv, cli.WithDotEnv, cli.WithConsistency(true))
	if err != nil {
		fmt.Fprintln(os.Stderr, "composecheck:", err)
		os.Exit(1)
	}
	project, err := opts.LoadProject(context.Background())
	if err != nil {
		fmt.Fprintln(os.Stderr, "composecheck:", err)
		os.Exit(1)
	}
	names := project.ServiceNames()
	sort.Strings(names)
	for _, name := range names {
		svc := project.Services[name]
		image := svc.Image
		if svc.Build != nil {
			image += " (build " + svc.Build.Context + ")"
		}
		deps := make([]string, 0, len(svc.DependsOn))
		for dep, cfg := range svc.DependsOn {
			deps = append(deps, dep+":"+cfg.Condition)
		}
		sort.Strings(deps)
		health := "no healthcheck"
		if svc.HealthCheck != nil && !svc.HealthCheck.Disable {
			health = "healthcheck"
		}
		fmt.Printf("  %-17s %s; %s; depends_on %v\n", name, image, health, deps)
	}
	fmt.Printf("composecheck: %s is valid (project %q, %d services)\n", os.Args[1], project.Name, len(names))
}
