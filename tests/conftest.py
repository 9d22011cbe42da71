import pytest


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Every test writes uploads to its own folder, never to var/media."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture(autouse=True)
def password_check_slots(settings, tmp_path):
    """Every test has its own password-check slots (api.throttling), so test runs side by
    side in one checkout never take each other's."""
    settings.KRONIKA_LOCK_DIR = str(tmp_path / "locks")


@pytest.fixture
def archivist(django_user_model):
    return django_user_model.objects.create_user(
        username="archiwistka", password="tajne-haslo-123", is_staff=True, is_superuser=True
    )


@pytest.fixture
def archivist_client(client, archivist):
    client.force_login(archivist)
    return client


@pytest.fixture(autouse=True)
def unhashed_static_files(settings):
    """Tests run without `collectstatic`, so static URLs are not looked up in a manifest."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
