// The permission rows: which role may call which operation. Each change
// takes a reason (kept in the audit trail) and reaches every instance
// within a second.
import { useContext, useEffect, useState } from 'preact/hooks';
import { call } from '../api';
import type { PermissionRowsQuery } from '../gql/graphql';
import { CreatePermission, DeletePermission, PermissionRows, UpdatePermission } from '../ops';
import { Perms, useCan } from '../perms';
import { Field, Loading, Problem, ReasonAction, Select, when } from '../ui';

type Row = PermissionRowsQuery['permissions'][number];
const roles = ['ANONYMOUS', 'MEMBER', 'SUPPORT', 'COMPLIANCE', 'ACCOUNTANT', 'ADMIN', 'SUPERADMIN', 'PARTNER'];
const actions = ['ALLOW', 'DENY', 'AUDIT'];

export function Permissions() {
  const can = useCan();
  const [rows, setRows] = useState<Row[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [role, setRole] = useState('');
  const [text, setText] = useState('');
  const [version, setVersion] = useState(0);
  const reload = () => setVersion(version + 1);

  useEffect(() => {
    call(PermissionRows).then((d) => setRows(d.permissions)).catch(setError);
  }, [version]);

  const shown = (rows ?? []).filter((r) => (!role || r.role === role) && r.operation.toLowerCase().includes(text.toLowerCase()));
  return (
    <section>
      <h1>Permissions</h1>
      <p class="muted">A role may call an operation when one of its rows allows it; DENY wins over AUDIT, AUDIT over ALLOW.</p>
      <div class="filters">
        <Select label="Role" value={role} onValue={setRole} options={roles} blank="Every role" />
        <Field label="Operation contains" value={text} onValue={setText} />
      </div>
      {can('createPermission') && <NewRule done={reload} />}
      <Problem error={error} />
      {!rows && !error && <Loading />}
      {rows && (
        <table>
          <thead>
            <tr><th scope="col">Role</th><th scope="col">Operation</th><th scope="col">Action</th><th scope="col">Changed</th><th scope="col">Change</th></tr>
          </thead>
          <tbody>
            {shown.map((r) => <RuleRow key={r.id} r={r} done={reload} />)}
          </tbody>
        </table>
      )}
    </section>
  );
}

function RuleRow({ r, done }: { r: Row; done: () => void }) {
  const can = useCan();
  const [action, setAction] = useState<string>(r.action);
  return (
    <tr data-rule={`${r.role} ${r.operation}`}>
      <td>{r.role}</td>
      <td><code>{r.operation}</code></td>
      <td>{r.action}</td>
      <td>{when(r.updatedAt)}</td>
      <td class="row-actions">
        {can('updatePermission') && (
          <ReasonAction label={`Edit ${r.role} ${r.operation}`}
            run={async (reason) => { await call(UpdatePermission, { input: { id: r.id, action: action as 'ALLOW', reason } }); done(); }}>
            <Select label="New action" value={action} onValue={setAction} options={actions} />
          </ReasonAction>
        )}
        {can('deletePermission') && (
          <ReasonAction label={`Delete ${r.role} ${r.operation}`} danger
            run={async (reason) => { await call(DeletePermission, { input: { id: r.id, reason } }); done(); }} />
        )}
      </td>
    </tr>
  );
}

function NewRule({ done }: { done: () => void }) {
  const ops = useContext(Perms);
  const [role, setRole] = useState('SUPPORT');
  const [operation, setOperation] = useState('');
  const [action, setAction] = useState('ALLOW');
  return (
    <div class="new-rule">
      <ReasonAction label="Add a rule"
        run={async (reason) => {
          await call(CreatePermission, { input: { role: role as 'SUPPORT', operation: operation.trim(), action: action as 'ALLOW', reason } });
          setOperation('');
          done();
        }}>
        <Select label="Rule role" value={role} onValue={setRole} options={roles} />
        <Field label="Rule operation (a field, Type.field, or a prefix ending in *)" value={operation} onValue={setOperation}
          required placeholder={[...ops][0]} />
        <Select label="Rule action" value={action} onValue={setAction} options={actions} />
      </ReasonAction>
    </div>
  );
}
