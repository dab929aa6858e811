"""The web application: the coordinators' console under ``/console/`` and the public report site at ``/``."""
