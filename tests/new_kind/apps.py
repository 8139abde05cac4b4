from django.apps import AppConfig


class NewKindConfig(AppConfig):
    name = "tests.new_kind"
    label = "new_kind"
    default_auto_field = "django.db.models.BigAutoField"
