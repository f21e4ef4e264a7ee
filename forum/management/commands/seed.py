"""Create what a fresh Yoake needs (boards, rooms, articles, help lines). Safe to run again."""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Seed boards, chat rooms, support articles and help lines (idempotent)."

    def handle(self, *args, **options):
        # Each app seeds itself through its own `seed.run()`, so no app imports another for this.
        for app_config in apps.get_app_configs():
            module_name = f"{app_config.name}.seed"
            if find_spec(module_name) is None:
                continue
            summary = import_module(module_name).run()
            if summary and options["verbosity"] > 0:
                self.stdout.write(f"{app_config.label}: {summary}")
