#!/usr/bin/python
from __future__ import annotations

import getpass
import os
import sys

from ansible.module_utils.basic import AnsibleModule
from ..module_utils.greeting import greeting


def main():
    module = AnsibleModule(
        argument_spec=dict(
            who=dict(type='str', required=True),
            dest=dict(type='path'),
            fail=dict(type='bool', default=False),
            secret=dict(type='str', no_log=True),
        ),
        supports_check_mode=True,
    )
    text = greeting(module.params['who'])
    if module.params['fail']:
        module.fail_json(msg='asked to fail: %s' % text)
    changed = False
    dest = module.params['dest']
    if dest:
        current = None
        if os.path.exists(dest):
            with open(dest) as f:
                current = f.read()
        if current != text + '\n':
            changed = True
            if not module.check_mode:
                with open(dest, 'w') as f:
                    f.write(text + '\n')
    # Whether ansible is importable from anywhere but the payload this module came in.
    outside = [p for p in sys.path if not p.endswith('.zip') and os.path.isdir(os.path.join(p, 'ansible'))]
    module.exit_json(changed=changed, greeting=text, user=getpass.getuser(), check=module.check_mode,
                     ansible_outside_payload=bool(outside))


if __name__ == '__main__':
    main()
