"""The first field report's registry-backed singleton: every box office finds the one
`VenueDirectory` actor by name, and its handler blocks on the venue partner's API, so every
lookup in the system waits behind the slowest one (ACT303, a preview rule). The fix,
`ThreadedVenueDirectory`, serves several lookups at once; its handler still blocks (and still
wants a time limit), but no longer holds everyone else."""
import ray
import requests


@ray.remote
class VenueDirectory:
    def seating_plan(self, venue_id):
        return requests.get(f"https://venues.example.com/{venue_id}", timeout=5).json()


@ray.remote(max_concurrency=16)
class ThreadedVenueDirectory:
    def seating_plan(self, venue_id):
        return requests.get(f"https://venues.example.com/{venue_id}", timeout=5).json()


def directory():
    return VenueDirectory.options(name="venues", get_if_exists=True).remote()


def threaded_directory():
    return ThreadedVenueDirectory.options(name="threaded-venues", get_if_exists=True).remote()
