"""The project-wide form renderer: every `{{ form }}` and `{{ field.as_field_group }}` gets the NL Design System look.

The form and field templates live in templates/forms/; the widget itself is rendered by the
`utrecht_widget` tag (grants/accounts/templatetags/grantdesk.py), which adds the Utrecht class and
the aria attributes that tie the input to its description and error message.
"""

from django.forms.renderers import TemplatesSetting


class GrantdeskFormRenderer(TemplatesSetting):
    form_template_name = "forms/div.html"
    field_template_name = "forms/field.html"
