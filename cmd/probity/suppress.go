package main

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"time"

	"probity"
	"probity/graph"
)

// listCommand runs `probity suppress|watch add ENTITY --reason R | list | remove ID`.
func listCommand(name string, add func(*graph.Store, context.Context, string, string, string) (probity.Suppression, error),
	list func(*graph.Store, context.Context) ([]probity.Suppression, error),
	remove func(*graph.Store, context.Context, string) error) func(context.Context, *env, []string) error {
	return func(ctx context.Context, e *env, args []string) error {
		usage := fmt.Errorf("usage: probity %s add ENTITY_ID --reason TEXT [--by NAME] | list | remove ID_OR_ENTITY_ID (an entity's import id, A7, or API id, Address:A7)", name)
		if len(args) == 0 {
			return &exitError{code: 64, err: usage}
		}
		fs := flag.NewFlagSet(name, flag.ContinueOnError)
		fs.SetOutput(e.stderr)
		reason := fs.String("reason", "", "why (required for add)")
		by := fs.String("by", envOr(e.getenv, "USER", "admin"), "who")
		if err := fs.Parse(args[1:]); err != nil {
			return &exitError{code: 64, err: err}
		}
		rest := fs.Args()
		if len(rest) > 0 && fs.NArg() >= 1 {
			// flags may also follow the id: add ID --reason R
			if err := fs.Parse(rest[1:]); err != nil {
				return &exitError{code: 64, err: err}
			}
		}
		store, err := openMigrated(ctx, e)
		if err != nil {
			return err
		}
		defer store.Close(context.Background())
		switch args[0] {
		case "add":
			if len(rest) < 1 {
				return &exitError{code: 64, err: usage}
			}
			if strings.TrimSpace(*reason) == "" {
				return &exitError{code: 64, err: fmt.Errorf("probity %s add %s: give the reason with --reason TEXT (at least 10 characters: it is kept with the entry and audited)", name, rest[0])}
			}
			it, err := add(store, ctx, rest[0], *reason, *by) // Label:id names that entity only
			if err != nil {
				return err
			}
			// audited as the API's addSuppression and watch are: a list decides what is scanned
			if err := auditCLI(ctx, store, e, name+" add", it.EntityID+": "+it.Reason, it.Keys()...); err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "%s\t%s\t%s\n", it.ID, it.EntityID, it.Reason)
		case "list":
			items, err := list(store, ctx)
			if err != nil {
				return err
			}
			var ids []string
			for _, it := range items {
				ids = append(ids, it.Keys()...)
			}
			if err := auditCLI(ctx, store, e, name+" list", "", ids...); err != nil {
				return err
			}
			for _, it := range items {
				fmt.Fprintf(e.stdout, "%s\t%s\t%s\t%s\t%s\n", it.ID, it.EntityID, it.Reason, it.By, it.At.Format(time.RFC3339))
			}
		case "remove":
			if len(rest) < 1 {
				return &exitError{code: 64, err: usage}
			}
			// the event names the entity, as the API's removal does: the
			// audit log asked about it finds its removal beside its addition
			var keys []string
			if items, err := list(store, ctx); err == nil {
				for _, it := range items {
					if it.ID == importID(rest[0]) || it.EntityID == importID(rest[0]) {
						keys = it.Keys()
					}
				}
			}
			if err := remove(store, ctx, importID(rest[0])); err != nil {
				return err
			}
			return auditCLI(ctx, store, e, name+" remove", rest[0], keys...)
		default:
			return &exitError{code: 64, err: usage}
		}
		return nil
	}
}

// importID is the import id of an entity named by it or by its API id
// (Address:A7 is A7).
func importID(id string) string {
	if ref, ok := probity.ParseKey(id); ok {
		return ref.ID
	}
	return id
}

var cmdSuppress = listCommand("suppress", (*graph.Store).AddSuppression, (*graph.Store).Suppressions, (*graph.Store).RemoveSuppression)

var cmdWatch = listCommand("watch",
	func(s *graph.Store, ctx context.Context, id, reason, by string) (probity.Suppression, error) {
		it, err := s.AddWatch(ctx, id, reason, by)
		return probity.Suppression(it), err
	},
	func(s *graph.Store, ctx context.Context) ([]probity.Suppression, error) {
		items, err := s.Watches(ctx)
		out := make([]probity.Suppression, len(items))
		for i, it := range items {
			out[i] = probity.Suppression(it)
		}
		return out, err
	},
	(*graph.Store).RemoveWatch)
